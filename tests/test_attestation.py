"""What a machine leaves as `manual`, a person can attest in `checklists:` — with evidence and a date."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.loading import find_check, load_manifest
from guideline_lint.model import Status, Verification

from helpers import TODAY, service_copy

# SEC-005 (risk assessment) is `manual` while nothing is recorded in security.risk_assessment.
NO_RISK = {"service": {"phase": "planning"}, "security": {"risk_assessment": None}}


def judge(folder: Path):
    manifest, model = load_manifest(folder / "digital-service.yaml", folder)
    facts = Facts(manifest=manifest, repo=RepoFacts.collect(folder), today=TODAY, phase=model.service.phase.value)
    return evaluate_check(find_check("SEC-005"), facts)


def test_unattested_stays_manual(tmp_path: Path) -> None:
    assert [f.status for f in judge(service_copy(tmp_path, NO_RISK))] == [Status.MANUAL]


@pytest.mark.parametrize(("entry", "status"), [
    ({"answer": "yes", "evidence": "docs/risk-assessment.md", "date": "2026-01-05", "by": "情報セキュリティ担当"},
     Status.PASS),
    ({"answer": "no"}, Status.FAIL),
    ({"answer": "n/a", "reason": "個人情報を扱わない"}, Status.NOT_APPLICABLE),
    ({"answer": "yes", "evidence": "docs/missing.md", "date": "2026-01-05"}, Status.MANUAL),  # no evidence, no credit
    ({"answer": "yes", "evidence": "docs/risk-assessment.md"}, Status.MANUAL),  # no date, no credit
])
def test_checklist_answer_settles_a_manual_finding(tmp_path: Path, entry: dict, status: Status) -> None:
    findings = judge(service_copy(tmp_path, {**NO_RISK, "checklists": {"SEC-005": entry}}))
    assert [f.status for f in findings] == [status]
    if status == Status.PASS:
        assert findings[0].verification == Verification.ATTESTED and "情報セキュリティ担当" in findings[0].reason.ja


def test_attestation_never_overrides_a_machine_failure(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"security": {"incident_first_report_hours": 5}, "checklists": {
        "SEC-003": {"answer": "yes", "evidence": "docs/bcp.md", "date": "2026-01-05"}}})
    manifest, model = load_manifest(folder / "digital-service.yaml", folder)
    facts = Facts(manifest=manifest, repo=RepoFacts.collect(folder), today=TODAY, phase=model.service.phase.value)
    assert [f.status for f in evaluate_check(find_check("SEC-003"), facts)] == [Status.FAIL]


def test_misspelt_checklist_id_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"checklists": {"UIUX-CHEKLIST": {"answer": "yes"}}})
    result = CliRunner().invoke(main, ["check", str(folder), "--no-pages", "--lang", "en"])
    assert result.exit_code == 2
    assert "'UIUX-CHEKLIST' in checklists" in result.output and "did you mean 'UIUX-CHECKLIST'" in result.output
