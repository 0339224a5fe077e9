"""Runs every manifest and repo check's pass and fail cases (tests/cases/<CHECK-ID>.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.loading import load_bundled_checks, load_manifest
from guideline_lint.model import Status, Target

from helpers import CASES, TODAY, load_case_file, service_copy

CHECKS = load_bundled_checks()
OWN_TARGETS = {Target.MANIFEST, Target.REPO}


def _cases() -> list[tuple[str, str, int, dict]]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = load_case_file(path)
        check = CHECKS.get(data["check"])
        if check is None or check.target not in OWN_TARGETS:
            continue
        for expectation in ("pass", "fail"):
            for index, case in enumerate(data[expectation]):
                found.append((data["check"], expectation, index, case or {}))
    return found


def run_case(tmp_path: Path, check_id: str, case: dict) -> set[Status]:
    folder = service_copy(tmp_path, case.get("manifest"), case.get("files"), case.get("remove"))
    manifest, model = load_manifest(folder / "digital-service.yaml", folder)
    facts = Facts(manifest=manifest, repo=RepoFacts.collect(folder), today=TODAY, phase=model.service.phase.value)
    return {finding.status for finding in evaluate_check(CHECKS[check_id], facts)}


@pytest.mark.parametrize(("check_id", "expectation", "index", "case"), _cases(),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_case(tmp_path: Path, check_id: str, expectation: str, index: int, case: dict) -> None:
    statuses = run_case(tmp_path, check_id, case)
    if "expect" in case:
        assert statuses == {Status(case["expect"])}, f"{check_id} {expectation} case {index}: {statuses}"
    elif expectation == "pass":
        assert statuses == {Status.PASS}, f"{check_id} pass case {index}: {statuses}"
    else:
        assert Status.FAIL in statuses, f"{check_id} fail case {index}: {statuses}"
