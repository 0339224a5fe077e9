"""Runs every test case of every check with target ``data`` (tests/cases/<CHECK-ID>.yaml).

Pass cases must give no failure and at least one pass; fail cases at least one failure (a fail case may also give
the ``column`` its first place is named by and words its message ``says`` in each language)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from data.casefiles import case_facts
from guideline_lint.engine import evaluate_check
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Check, Status, Target

CASES = Path(__file__).resolve().parents[1] / "cases"


def _data_checks() -> list[Check]:
    return sorted((c for c in load_bundled_checks().values() if c.target == Target.DATA), key=lambda c: c.id)


def _cases() -> list[Any]:
    params = []
    for check in _data_checks():
        path = CASES / f"{check.id}.yaml"
        document = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) if path.exists() else {}
        for expected in ("pass", "fail"):
            for number, case in enumerate(document.get(expected) or []):
                params.append(pytest.param(check, expected, case, id=f"{check.id}-{expected}-{number}"))
    return params


def test_every_data_check_has_cases() -> None:
    for check in _data_checks():
        path = CASES / f"{check.id}.yaml"
        assert path.exists(), f"missing {path}"
        document = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        assert document.get("pass") and document.get("fail"), f"{path} needs pass and fail cases"


@pytest.mark.parametrize(("check", "expected", "case"), _cases())
def test_case(check: Check, expected: str, case: dict[str, Any], tmp_path: Path) -> None:
    facts = case_facts(tmp_path, case)
    findings = evaluate_check(check, facts)
    statuses = [f.status for f in findings]
    assert Status.ERROR not in statuses, [f.reason for f in findings]
    if expected == "pass":
        assert Status.FAIL not in statuses, [f.message.en for f in findings if f.status == Status.FAIL]
        assert Status.PASS in statuses, statuses
    else:
        assert Status.FAIL in statuses, statuses
        failed = next(f for f in findings if f.status == Status.FAIL)
        assert failed.location is not None and failed.location.file
        assert "{" not in failed.message.ja and "{" not in failed.message.en, failed.message
        if "column" in case:  # the column the first place is named by: that of the table the value is in
            assert failed.location.column == case["column"], failed.location
        for lang, words in (case.get("says") or {}).items():  # how the message names the place, in each language
            assert words in getattr(failed.message, lang), getattr(failed.message, lang)
