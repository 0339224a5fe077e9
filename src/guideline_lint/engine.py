"""Runs checks against collected facts and turns the kinds' observations into findings."""

from __future__ import annotations

import string
from typing import Any

from guideline_lint.facts import Facts
from guideline_lint.kinds import evaluate_assert
from guideline_lint.kinds.base import Observation, worst
from guideline_lint.kinds.manifest import evidence_problem
from guideline_lint.model import Check, Finding, Status, Target, Text, Verification
from guideline_lint.parameters import note, placeholders


class _Placeholders(dict[str, Any]):
    """Leaves unknown {placeholders} as they are instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def format_text(template: str, detail: dict[str, Any]) -> str:
    try:
        return _FORMATTER.vformat(template, (), _Placeholders({k: v for k, v in detail.items() if v is not None}))
    except (ValueError, IndexError, AttributeError):
        return template


def _target_collected(target: Target, facts: Facts) -> bool:
    return {
        Target.MANIFEST: facts.manifest is not None,
        Target.REPO: facts.repo is not None,
        Target.DATA: facts.data is not None,
        Target.PAGE: facts.pages is not None,
    }[target]


def _finding(check: Check, status: Status, **extra: Any) -> Finding:
    return Finding(
        check_id=check.id, title=check.title, principles=check.principles, domain=check.domain,
        target=check.target, status=status, severity=check.severity,
        verification=extra.pop("verification", Verification.MACHINE),
        message=extra.pop("message", check.message), references=check.references, **extra,
    )


def not_applicable(check: Check, reason: Text) -> Finding:
    # Named by its title: the check's message describes a problem (and its {placeholders} have no values here).
    return _finding(check, Status.NOT_APPLICABLE, message=check.title, reason=reason)


def evaluate_check(check: Check, facts: Facts) -> list[Finding]:
    """The findings of one check: one per observation, or one not_applicable / error finding."""
    if facts.phase and check.phases and facts.phase not in check.phases:
        phases = ", ".join(p.value for p in check.phases)
        return [not_applicable(check, Text(ja=f"このフェーズ（{facts.phase}）は対象外（対象: {phases}）",
                                           en=f"not for the {facts.phase} phase (applies to: {phases})"))]
    if facts.manifest is not None:
        declared = facts.manifest.data.get("not_applicable", {})
        for name in (check.id, *check.aliases):
            if name in declared:
                return [not_applicable(check, Text(ja=f"マニフェストで対象外: {declared[name]}",
                                                   en=f"not applicable per manifest: {declared[name]}"))]
    try:
        if check.when is not None:
            condition = evaluate_assert(check.when, facts)
            if worst(condition) != Status.PASS:
                reason = check.when_reason or Text(ja="適用条件を満たさないため対象外",
                                                   en="its condition does not hold here")
                return [not_applicable(check, reason)]
        observations = evaluate_assert(check.assert_, facts)
    except Exception as exc:  # a kind must never take the whole run down with it
        import logging

        logging.getLogger(__name__).debug("check %s failed", check.id, exc_info=True)
        # A fault of the tool: the reason is the message (never the check's template, which blames the service).
        reason = Text(ja=f"チェックを実行できませんでした（内部エラー {type(exc).__name__}）",
                      en=f"the check could not run: {type(exc).__name__}: {exc}")
        return [_finding(check, Status.ERROR, message=reason, reason=reason)]
    if not observations:
        return [not_applicable(check, Text(ja="判定する対象がありません", en="nothing to judge"))]
    findings = [_to_finding(check, observation) for observation in observations]
    if any(f.status == Status.MANUAL for f in findings) and facts.manifest is not None:
        findings = _apply_attestation(check, findings, facts)
    return findings


def _apply_attestation(check: Check, findings: list[Finding], facts: Facts) -> list[Finding]:
    """What a machine could not decide, a person may attest in the manifest's `checklists:`.

    An answer `yes` with existing evidence and a date turns `manual` into an attested pass; `no` into a
    failure; `n/a` with a reason into not applicable. Machine failures are never overridden."""
    assert facts.manifest is not None
    checklists = facts.manifest.data.get("checklists", {})
    entry = next((checklists[name] for name in (check.id, *check.aliases) if name in checklists), None)
    if entry is None:
        return findings
    location = facts.manifest.locate(f"checklists.{check.id}")
    answer, by, when = entry.get("answer"), entry.get("by") or "", entry.get("date")
    if answer == "yes" and (evidence_problem(facts, entry.get("evidence"), allow_urls=True) or when is None):
        return findings  # an attestation without evidence or date earns nothing
    if answer == "yes":
        update = {"status": Status.PASS, "verification": Verification.ATTESTED, "message": check.title,
                  "reason": Text(ja=f"人による確認: {by} {when}（証跡 {entry.get('evidence')}）",
                                 en=f"attested by {by or 'the team'} on {when} (evidence {entry.get('evidence')})")}
    elif answer == "n/a":
        why = entry.get("reason") or "n/a"
        update = {"status": Status.NOT_APPLICABLE, "reason": Text(ja=f"マニフェストで対象外: {why}",
                                                                  en=f"not applicable per manifest: {why}")}
    else:
        update = {"status": Status.FAIL, "location": location,
                  "reason": Text(ja="チェックリストで「いいえ」と回答されています",
                                 en="answered 'no' in the checklist")}
    return [f.model_copy(update=update) if f.status == Status.MANUAL else f for f in findings]


def _in_language(detail: dict[str, Any], lang: str) -> dict[str, Any]:
    """The placeholders for one language: a kind may give ``value_ja`` / ``value_en`` beside ``value`` for words
    that differ by language (なし / none), so neither message carries the other language."""
    suffix = f"_{lang}"
    return {**detail, **{key.removesuffix(suffix): value for key, value in detail.items() if key.endswith(suffix)}}


def _to_finding(check: Check, observation: Observation) -> Finding:
    if observation.status in (Status.PASS, Status.NOT_APPLICABLE):
        # The message and fix describe a problem; a passing finding is named by its title.
        return _finding(
            check, observation.status, message=check.title,
            verification=Verification.ATTESTED if observation.attested else Verification.MACHINE,
            location=observation.location, subject=observation.subject, reason=observation.reason,
            metrics=observation.metrics,
        )
    if observation.status == Status.ERROR and observation.reason is not None:
        # The check could not judge: its failure message would blame the service, so the reason is the message.
        return _finding(check, Status.ERROR, message=observation.reason, location=observation.location,
                        subject=observation.subject, reason=observation.reason, metrics=observation.metrics)
    detail = {"id": check.id, **placeholders(check), **observation.detail}
    if observation.location is not None:
        detail.setdefault("file", observation.location.file)
        detail.setdefault("line", observation.location.line)
        detail.setdefault("url", observation.location.url)
    ja, en = _in_language(detail, "ja"), _in_language(detail, "en")
    message = Text(ja=format_text(check.message.ja, ja), en=format_text(check.message.en, en))
    numbers = note(check)  # the numbers the check judged by, and whether the source gives them
    if numbers is not None:
        message = Text(ja=f"{message.ja}（{numbers.ja}）", en=f"{message.en} ({numbers.en})")
    return _finding(
        check, observation.status,
        verification=Verification.ATTESTED if observation.attested else Verification.MACHINE,
        message=message,
        remediation=Text(ja=format_text(check.remediation.ja, ja), en=format_text(check.remediation.en, en)),
        location=observation.location,
        occurrences=observation.occurrences,
        more_occurrences=observation.more_occurrences,
        subject=observation.subject,
        reason=observation.reason,
        metrics=observation.metrics,
    )


def evaluate(checks: list[Check], facts: Facts) -> tuple[list[Finding], list[Check]]:
    """Findings of every check whose target was collected, and the checks that were skipped."""
    findings: list[Finding] = []
    skipped: list[Check] = []
    for check in checks:
        if not _target_collected(check.target, facts):
            skipped.append(check)
            continue
        findings.extend(evaluate_check(check, facts))
    return findings, skipped
