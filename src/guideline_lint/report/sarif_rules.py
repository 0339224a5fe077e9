"""SARIF rule metadata (``reportingDescriptor``) from the check itself, never from one finding's message.

Code scanning shows ``shortDescription`` and ``fullDescription`` at the top of an alert and ``help`` beside
it; the texts must not change from run to run, so they come from the check's title, message template and
remediation, with placeholders shown as "…". Rules in the security domain carry ``security-severity`` (GitHub
reads over 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low); tags give principles and JIS criteria.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from guideline_lint.errors import GuidelineLintError
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Check, Finding, Reference, Severity, Text

LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "2.0"}
# GitHub's limits: descriptions up to 1,024 characters, names up to 255; at most 20 tags, 10 shown.
MAX_DESCRIPTION = 1024
MAX_NAME = 255
MAX_TAGS = 10

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")
_REFERENCE = Text(ja="参照", en="References")
_DOCS = Text(ja="説明", en="Documentation")


def template_text(template: str) -> str:
    """A message template as a stable description: each ``{placeholder}`` becomes "…"."""
    return _PLACEHOLDER.sub("…", template)


def _cut(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rule_name(title_en: str, check_id: str) -> str:
    """SARIF wants a readable identifier: the English title in PascalCase."""
    words = re.findall(r"[A-Za-z0-9]+", title_en)
    return _cut("".join(w[:1].upper() + w[1:] for w in words), MAX_NAME) or check_id


def _reference_text(reference: Reference) -> str:
    parts = [reference.document]
    if reference.section:
        parts.append(reference.section)
    if reference.jis:
        parts.append(f"JIS {reference.jis}")
    if reference.wcag and reference.wcag != reference.jis:
        parts.append(f"WCAG {reference.wcag}")
    if reference.rule:
        parts.append(reference.rule)
    return " ".join(parts)


def tags(domain: str, principles: list[int], references: list[Reference]) -> list[str]:
    """Filters for the code-scanning list: the domain ("security" marks security results for GitHub), each
    principle, each JIS X 8341-3 criterion; at most the ten GitHub shows."""
    found = [domain, *(f"principle-{p}" for p in principles)]
    found += [f"jis-{r.jis}" for r in references if r.jis]
    return list(dict.fromkeys(found))[:MAX_TAGS]


def rule(finding: Finding, check: Check | None, lang: str) -> dict[str, Any]:
    """The rule of ``finding``'s check: from the check when known, else from the finding's fixed fields
    (title, domain, references; a check from a ruleset outside the bundle)."""
    title = (check.title if check else finding.title).get(lang)
    full = template_text(check.message.get(lang)) if check else title
    remediation = template_text(check.remediation.get(lang)) if check else ""
    references = check.references if check else finding.references
    principles = check.principles if check else finding.principles
    severity = finding.severity  # the ruleset may override the check's own severity
    domain = check.domain if check else finding.domain
    listed = [_reference_text(r) for r in references]
    if listed:
        full += f"\n{_REFERENCE.get(lang)}: " + "; ".join(listed)
    # The tool's own documentation of the check, wherever it is installed (the project publishes no web address).
    docs = f"{_DOCS.get(lang)}: `guideline-lint rules show {finding.check_id}`"
    markdown = f"**{title}**\n\n{remediation or full}\n\n{docs}"
    properties: dict[str, Any] = {
        "principles": principles,
        "severity": severity.value,
        "domain": domain,
        "target": finding.target.value,
        "tags": tags(domain, principles, references),
    }
    if domain == "security":
        properties["security-severity"] = SECURITY_SEVERITY[severity]
    dumped = [r.model_dump(exclude_none=True) for r in references]
    if dumped:
        properties["references"] = dumped
    return {
        "id": finding.check_id,
        "name": _rule_name((check.title if check else finding.title).en, finding.check_id),
        "shortDescription": {"text": _cut(title)},
        "fullDescription": {"text": _cut(full)},
        "help": {"text": remediation or full, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": properties,
    }


def bundled_checks() -> Mapping[str, Check]:
    """The bundled checks by id and alias, for rule texts; empty when they cannot be read (the log is still
    written, with rule texts from the findings' titles)."""

    try:
        checks = load_bundled_checks()
    except (GuidelineLintError, OSError, ValueError):
        return {}
    by_alias = {alias: check for check in checks.values() for alias in check.aliases}
    return {**by_alias, **checks}
