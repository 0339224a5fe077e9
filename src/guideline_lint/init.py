"""`guideline-lint init`: write a commented digital-service.yaml skeleton, never overwriting."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from guideline_lint.errors import InputError
from guideline_lint.loading import MANIFEST_NAME
from guideline_lint.model import Text

SKELETON = """\
# digital-service.yaml — guideline-lint のマニフェスト（行動指針 ver.1.1.0）
# 各項目の意味: `guideline-lint schema manifest`。チェック一覧: `guideline-lint rules list`。
# 〇〇 の箇所と空の項目を埋めてください。埋めるまでは `guideline-lint check` が足りない点を指摘します。
schema_version: 1
service:
  id: {service_id}                 # 英小文字・数字・ハイフン。トラッカーで使う変わらない ID
  name: {{ja: 〇〇サービス}}         # 正式なサービス名（en: 英語名 も書けます）
  bureau: 〇〇局                   # 所管の局
  phase: {phase}                   # planning（企画）| development（開発）| operation（運用）
  # summary_url: docs/one-pager.md # 原則2: サービスの要点を一枚で
  targets: []                      # 原則1/3: 誰のためのサービスか（都民、事業者 …）
  support_channels: []             # 原則3: オンライン以外の手段（電話番号つきの窓口、代行申請 …）
  urls: []                         # 検査する公開ページの URL
  pages: []                        # リポジトリ内の HTML（site/**/*.html など）を 127.0.0.1 で配信して検査
  # authentication: {{required: true, platforms: [gbizid, jpki]}}
  #   国の認証基盤を使わず独自のログインにする場合は platforms: [own] と、その理由を reason_own: に（SEC-011）

kpis: []  # {{id: nps, value: 12, target: 20, measured_at: 2026-09-30}} の形（ID は rulesets/kpis.yaml）
  # サービス独自の KPI も書けます（ID が一覧にないもの）: 名前・原則・種類・向きを添えてください
  # - {{id: 〇〇-lead-time, title: {{ja: 〇〇までの日数, en: Days to 〇〇}}, principles: [2], type: outcome,
  #    better: lower, unit: days, value: , target: , measured_at: }}   # type: output | outcome

# quality:                         # 品質評価指標（行動指針 85–119 行）: 測った指標だけ、測った値で
#   resident_satisfaction:         # KGI 都民満足度
#     {{value: , target: , unit: ratio, measured_at: , method: アンケート調査, source: }}
#   # 同じ形で digital_participation（デジタル参加率）, accessibility_findability（見つけやすさ）,
#   # usability（使いやすさ）, procedure_cost_time（手続コスト・時間）, service_update（改善までの期間）

evidence:
  user_tests: []                   # {{date: 2026-06-12, participants: 6, report: docs/usertest.md}} の形
  updates: []                      # {{date: 2026-10-01, summary: 入力項目を削減}} の形

accessibility:
  # target_level: AA               # JIS X 8341-3:2016 の目標適合レベル
  policy_url:                      # ウェブアクセシビリティ方針の URL

security:
  csirt_contact:                   # CSIRT の連絡先メールアドレス
  # incident_first_report_hours: 3 # インシデント発見から第一報までの目標時間（行動指針: 3時間以内）
  bcp:                             # 業務継続計画のファイル

data:
  inventory:                       # 生成データ一覧のファイル
  open_data: []                    # {{catalog_id: ..., license: CC BY 4.0, files: [data/*.csv], encoding: UTF-8}} の形
  #   encoding: ファイルの文字コードと BOM の有無（L3-08: UTF-8 | UTF-8 (BOM) | Shift_JIS）

oss: {{}}                            # decision: published | planned | not_publishing

checklists: {{}}                     # UIUX-CHECKLIST: {{answer: yes, evidence: docs/uiux.md, date: 2026-05-01}} の形
  # ファイルからは分からない実践は、記録（証跡・日付・確認者）を添えて申告します（ATT-*、`guideline-lint rules list`）:
  #   DIRECT-RESEARCH LOG-DATA BPR LOOSE-COUPLING GOV-LINKAGE CODE-REUSE PDCA-DATA EXISTING-DATA PARTNER-POLICY
  #   NATIONAL-GUIDANCE MUNICIPAL-EXCHANGE PERSONAL-DATA DELIBERATIONS AGILE TRENDS NEW-NEEDS
  # 例: DIRECT-RESEARCH: {{answer: yes, evidence: docs/records.md, date: , by: }}
  #     当たらない実践は {{answer: n/a, reason: 〇〇のため}}
"""

PHASES = ("planning", "development", "operation")
DEFAULT_PHASE = "development"  # planning skips every data and most page checks: not a useful default
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")  # as the manifest schema's service.id


def derive_service_id(folder_name: str) -> str:
    """A schema-valid id from a folder name: ASCII letters and digits kept (lower case), anything else a hyphen;
    a name with too little of them (Japanese, say) gets a stable ``service-<hash>`` instead of a guess."""
    slug = re.sub(r"-{2,}", "-", "".join(ch if ch.isascii() and ch.isalnum() else "-"
                                         for ch in folder_name.lower())).strip("-")[:64].strip("-")
    if ID_PATTERN.match(slug) and sum(ch.isalnum() for ch in slug) * 2 >= len(folder_name.strip()):
        return slug
    digest = hashlib.sha256(folder_name.encode("utf-8")).hexdigest()[:8]
    return f"service-{digest}"


def _check_id(service_id: str) -> str:
    if not ID_PATTERN.match(service_id):
        raise InputError(
            Text(ja=f"サービス ID「{service_id}」は使えません。英小文字・数字・ハイフンで 3〜64 文字にしてください。",
                 en=f"the service id '{service_id}' is not valid: use 3-64 lower-case letters, digits and hyphens."),
            hint=Text(ja="例: --id tokyo-permit-application", en="e.g. --id tokyo-permit-application"),
        )
    return service_id


def _check_phase(phase: str) -> str:
    if phase not in PHASES:
        raise InputError(Text(ja=f"フェーズ「{phase}」は使えません（{' | '.join(PHASES)}）。",
                              en=f"unknown phase '{phase}' ({' | '.join(PHASES)})."))
    return phase


def write_skeleton(folder: Path, *, phase: str | None = None, service_id: str | None = None,
                   ask: Callable[[str, str], str] | None = None) -> str:
    """Write the skeleton; ``phase`` and ``service_id`` from flags, else from ``ask(question, default)`` (given
    only when stdin is a terminal), else the defaults."""
    target = folder / MANIFEST_NAME if folder.is_dir() or not folder.suffix else folder
    if target.exists() or target.is_symlink():
        raise InputError(Text(ja="既にあります。上書きしません。", en="already exists; not overwritten."),
                         file=str(target))
    name = Path(os.path.abspath(target.parent)).name
    if service_id is None:
        default = derive_service_id(name)
        service_id = ask("サービス ID / service id", default) if ask else default
    if phase is None:
        phase = ask(f"フェーズ / phase ({' | '.join(PHASES)})", DEFAULT_PHASE) if ask else DEFAULT_PHASE
    service_id, phase = _check_id(service_id.strip()), _check_phase(phase.strip())
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: never overwrite, even if the file appeared since the check above.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError(Text(ja="既にあります。上書きしません。", en="already exists; not overwritten."),
                         file=str(target)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(SKELETON.format(service_id=service_id, phase=phase))
    return str(target)
