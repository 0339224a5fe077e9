"""`guideline-lint init`: write a commented digital-service.yaml skeleton, never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

from guideline_lint.errors import InputError
from guideline_lint.loading import MANIFEST_NAME
from guideline_lint.model import Text

SKELETON = """\
# digital-service.yaml — guideline-lint のマニフェスト（行動指針 ver.1.1.0）
# 各項目の意味: `guideline-lint schema manifest`。チェック一覧: `guideline-lint rules list`。
schema_version: 1
service:
  id: {service_id}                 # 英小文字・数字・ハイフン。トラッカーで使う変わらない ID
  name: {{ja: サービス名, en: Service name}}
  bureau: 局名
  phase: planning                  # planning（企画）| development（開発）| operation（運用）
  summary_url: docs/one-pager.md   # 原則2: サービスの要点を一枚で
  targets: [都民]                  # 原則1/3: 誰のためのサービスか
  support_channels: [電話]         # 原則3: オンライン以外の手段
  urls: []                         # 検査する公開ページの URL
  pages: []                        # リポジトリ内の HTML（例: site/**/*.html）を 127.0.0.1 で配信して検査
  authentication: {{required: false}}  # 認証する場合は platforms: [gbizid, jpki]

kpis: []  # 例: {{id: nps, value: 12, target: 20, measured_at: 2026-09-30}}（ID は rulesets/kpis.yaml）

evidence:
  user_tests: []                   # 例: {{date: 2026-06-12, participants: 6, report: docs/usertest.md}}
  updates: []                      # 例: {{date: 2026-10-01, summary: 入力項目を削減}}

accessibility:
  target_level: AA                 # JIS X 8341-3:2016 の目標適合レベル
  policy_url:                      # ウェブアクセシビリティ方針の URL

security:
  csirt_contact:                   # CSIRT の連絡先メールアドレス
  incident_first_report_hours: 3   # インシデント発見から第一報までの目標時間（3時間以内）
  bcp:                             # 業務継続計画のファイル

data:
  inventory:                       # 生成データ一覧のファイル
  open_data: []                    # 例: {{catalog_id: t000001d..., license: CC BY 4.0, files: [data/*.csv]}}

oss: {{decision: planned}}           # published | planned | not_publishing

checklists: {{}}                     # 例: UIUX-CHECKLIST: {{answer: yes, evidence: docs/uiux.md, date: 2026-05-01}}
"""


def write_skeleton(folder: Path) -> str:
    target = folder / MANIFEST_NAME if folder.is_dir() or not folder.suffix else folder
    if target.exists():
        raise InputError(Text(ja="既にあります。上書きしません。", en="already exists; not overwritten."),
                         file=str(target))
    service_id = "".join(ch if ch.isalnum() else "-" for ch in folder.resolve().name.lower()).strip("-") or "service"
    if len(service_id) < 3:
        service_id = f"{service_id}-service"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: never overwrite, even if the file appeared since the check above.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError(Text(ja="既にあります。上書きしません。", en="already exists; not overwritten."),
                         file=str(target)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(SKELETON.format(service_id=service_id))
    return str(target)
