"""The message catalogue for the tool's own words (checks carry their own ja/en texts).

Japanese first; English with --lang en or an English LANG. ``t(key, lang, **values)``.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "phase.planning": {"ja": "企画", "en": "planning"},
    "phase.development": {"ja": "開発", "en": "development"},
    "phase.operation": {"ja": "運用", "en": "operation"},
    "phase.None": {"ja": "フェーズ未設定", "en": "no phase"},
    "text.ruleset": {"ja": "ルールセット {id}（{version}）", "en": "ruleset {id} ({version})"},
    "text.principle": {"ja": "原則", "en": "principle"},
    "text.principle_n": {"ja": "原則{id}", "en": "Principle {id}"},
    "text.score": {"ja": "スコア", "en": "score"},
    "text.coverage": {"ja": "網羅率", "en": "cover"},
    "text.counts": {"ja": "合/否/要確認/対象外/エラー", "en": "pass/fail/manual/n.a./error"},
    "text.overall": {"ja": "総合スコア: {score}（評価した原則の平均）",
                     "en": "Overall score: {score} (mean of the assessed principles)"},
    "text.not_assessed_note": {"ja": "— は評価対象のチェックがない原則です（100点ではありません）。",
                               "en": "— marks a principle with no applicable check (not assessed, not 100)."},
    "text.skipped": {"ja": "未実施のチェック {count} 件: {reason}", "en": "{count} checks not run: {reason}"},
    "text.problems_heading": {"ja": "指摘事項（原則ごと）", "en": "Findings by principle"},
    "text.manual_heading": {"ja": "要確認（人による確認・証跡が必要）: {count} チェック",
                            "en": "Needs human confirmation or evidence: {count} checks"},
    "text.more_places": {"ja": "…ほか {count} 件", "en": "… and {count} more"},
    "text.more_subjects": {"ja": "…ほか {count} ページ・ファイル", "en": "… and {count} more pages or files"},
    "text.subjects": {"ja": "{count} 件", "en": "{count} places"},
    "text.attest_hint": {
        "ja": "確認したら checklists: に「ID: {answer: yes, evidence: ファイル, date: 日付, by: 確認者}」を記録",
        "en": "once confirmed, record 'ID: {answer: yes, evidence: FILE, date: DATE, by: WHO}' under checklists:",
    },
    "text.first_steps_heading": {"ja": "はじめの第一歩（基準を下回る原則）",
                                 "en": "First steps (principles under their threshold)"},
    "text.gate_passed": {"ja": "ゲート: 合格", "en": "Gate: passed"},
    "text.gate_failed": {"ja": "ゲート: 不合格", "en": "Gate: failed"},
    "status.pass": {"ja": "合格", "en": "pass"},
    "status.fail": {"ja": "不合格", "en": "fail"},
    "status.manual": {"ja": "要確認", "en": "manual"},
    "status.not_applicable": {"ja": "対象外", "en": "not applicable"},
    "status.error": {"ja": "エラー", "en": "error"},
    "status.waived": {"ja": "免除", "en": "waived"},
    "verification.machine": {"ja": "機械判定", "en": "machine-verified"},
    "verification.attested": {"ja": "自己申告（証跡あり）", "en": "attested"},
}


def t(key: str, lang: str, **values: object) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["ja"]
    return text.format(**values) if values else text
