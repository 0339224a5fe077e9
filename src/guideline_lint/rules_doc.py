"""`rules list` and `rules show`: the checks' own bilingual documentation."""

from __future__ import annotations

import json

from guideline_lint.catalog import principles
from guideline_lint.kinds import get_kind
from guideline_lint.loading import find_check, load_bundled_checks, load_ruleset
from guideline_lint.model import Check
from guideline_lint.parameters import described, filled
from guideline_lint.practices import practices_of


def list_rules(ruleset_ref: str | None, principle: set[int], domain: set[str], target: set[str],
               fmt: str, lang: str) -> str:
    checks = load_ruleset(ruleset_ref).checks if ruleset_ref else load_bundled_checks()
    selected = [
        c for c in checks.values()
        if (not principle or principle & set(c.principles))
        and (not domain or c.domain in domain)
        and (not target or c.target.value in target)
    ]
    selected.sort(key=lambda c: (min(c.principles), c.id))
    practice_ids = {c.id: [p.id for p in practices_of(c.id)] for c in selected}
    if fmt == "json":
        return json.dumps([{"id": c.id, "title": c.title.model_dump(), "principles": c.principles,
                            "domain": c.domain, "target": c.target.value, "severity": c.severity.value,
                            "phases": [p.value for p in c.phases], "practices": practice_ids[c.id]}
                           for c in selected],
                          ensure_ascii=False, indent=2)
    rows = [f"{c.id:<14} {c.severity.value:<8} {c.target.value:<8} {','.join(map(str, c.principles)):<8} "
            f"{','.join(practice_ids[c.id]):<24} {c.title.get(lang)}" for c in selected]
    header = "ID             severity target   原則     実践（practice）         title" if lang == "ja" else \
        "ID             severity target   princ.   practice                 title"
    footer = f"{len(selected)} 件" if lang == "ja" else f"{len(selected)} checks"
    return "\n".join([header, *rows, footer])


def show_rule(check_id: str, lang: str) -> str:
    return describe(find_check(check_id), lang)


def describe(check: Check, lang: str) -> str:
    info = principles()
    ja = lang == "ja"
    kind = get_kind(check.assert_["kind"])
    lines = [
        f"{check.id}  {check.title.get(lang)}",
        f"  ({check.title.get('en' if ja else 'ja')})",
        "",
        ("原則: " if ja else "Principles: ") + ", ".join(f"{p} {info[p].title.get(lang)}" for p in check.principles),
        ("領域: " if ja else "Domain: ") + check.domain,
        ("対象: " if ja else "Target: ") + check.target.value,
        ("フェーズ: " if ja else "Phases: ") + ", ".join(p.value for p in check.phases),
        ("重大度: " if ja else "Severity: ") + check.severity.value,
        ("判定: " if ja else "Kind: ") + f"{check.assert_['kind']} — {kind.summary.get(lang) if kind else ''}",
        ("実践: " if ja else "Practices: ") + "; ".join(
            f"{p.id} {p.title.get(lang)} (#{p.principle}, L{','.join(map(str, p.lines))})"
            for p in practices_of(check.id)),
        "",
        ("不合格時のメッセージ:" if ja else "Message when it fails:"),
        f"  {filled(check.message, check).get(lang)}",
        ("対処方法:" if ja else "How to fix:"),
        f"  {filled(check.remediation, check).get(lang)}",
    ]
    for number in check.principles:  # what the source asks a team to start with and to set its goals by
        principle = info[number]
        lines.append((f"原則{number}のはじめの一歩: " if ja else f"First step of principle {number}: ")
                     + principle.first_step.get(lang))
        lines += [("  目標設定の視点: " if ja else "  Goal-setting viewpoint: ") + v.get(lang)
                  for v in principle.viewpoints]
    if check.parameter_values:
        lines.append("基準値（ルールセットのパラメータ）:" if ja else "Numbers (ruleset parameters):")
        lines += [f"  - {line}" for line in described(check, lang)]
    if check.when_reason:
        lines += [("適用条件:" if ja else "Applies when:"), f"  {check.when} ({check.when_reason.get(lang)})"]
    lines.append("参照:" if ja else "References:")
    for ref in check.references:
        parts = [ref.document, ref.section, f"JIS {ref.jis}" if ref.jis else None,
                 f"WCAG {ref.wcag}" if ref.wcag else None, ref.rule, ref.url]
        lines.append("  - " + " / ".join(p for p in parts if p))
    if check.aliases:
        lines.append(("旧 ID: " if ja else "Former ids: ") + ", ".join(check.aliases))
    return "\n".join(lines)
