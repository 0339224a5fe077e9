"""Numbers the checks judge by are ruleset parameters (issue #11): each check names the parameter it reads, a ruleset
may change it, and the finding names the value and whether the source gives it or it is guideline-lint's default."""

from __future__ import annotations

from pathlib import Path

import pytest

from guideline_lint.engine import evaluate_check
from guideline_lint.errors import InputError
from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.facts.page import PageFacts
from guideline_lint.loading import DEFAULT_RULESET, load_bundled_checks, load_manifest, load_ruleset
from guideline_lint.model import Check, Status
from guideline_lint.parameters import missing_keys, read

from helpers import TODAY, service_copy

CHECKS = load_bundled_checks()
DEFAULTS = load_ruleset(DEFAULT_RULESET).parameters


def _ruleset(tmp_path: Path, **values: float) -> Path:
    lines = ["id: stricter", "version: '1'", "title: {ja: 厳しめ, en: Stricter}",
             f"extends: {DEFAULT_RULESET}", "parameters:"]
    for name, value in values.items():
        lines += [f"  {name}:", f"    value: {value}", f"    title: {{ja: {name}, en: {name}}}",
                  "    source: our bureau's rule of 2026"]
    path = tmp_path / "stricter.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _judge(tmp_path: Path, check: Check, manifest: dict | None = None) -> list:
    folder = service_copy(tmp_path, manifest)
    facts, model = load_manifest(folder / "digital-service.yaml", folder)
    return evaluate_check(check, Facts(manifest=facts, repo=RepoFacts.collect(folder), today=TODAY,
                                       phase=model.service.phase.value))


def test_every_parameter_a_check_names_exists_with_the_checks_own_value() -> None:
    readers: set[tuple[str, str]] = set()
    for check in CHECKS.values():
        assert not missing_keys(check), f"{check.id}: {missing_keys(check)} are not keys of its assert"
        for key, name in check.parameters.items():
            assert name in DEFAULTS, f"{check.id} reads unknown parameter {name}"
            assert read(check, key) == DEFAULTS[name].value, f"{check.id}: {key} differs from {name}"
            readers.add((name, check.id))
    declared = {(name, c) for name, p in DEFAULTS.items() for c in p.used_by if c != "thresholds"}
    assert readers == declared
    assert len({name for name, _ in readers}) == 12  # the pass mark is read by the scoring, not a check


def test_a_ruleset_changes_the_number_and_the_finding_names_it_and_its_source(tmp_path: Path) -> None:
    # The example's latest update is 2026-09-18, 69 days before TODAY: within 365 days, not within 30.
    assert {f.status for f in _judge(tmp_path / "a", CHECKS["REV-003"])} == {Status.PASS}
    stricter = load_ruleset(str(_ruleset(tmp_path, measurement_max_age_days=30)))
    findings = _judge(tmp_path / "b", stricter.checks["REV-003"])
    assert [f.status for f in findings] == [Status.FAIL]
    assert "30 日より前" in findings[0].message.ja and "our bureau's rule of 2026" in findings[0].message.en
    assert "older than 30 days" in findings[0].message.en
    # The bundled check itself is untouched; every check reading the parameter follows the ruleset.
    assert read(CHECKS["REV-003"], "max_age_days") == 365
    assert {c for c, check in stricter.checks.items() if read(check, "max_age_days") == 30} == \
        {"REV-001", "REV-003", "LRN-001", "A11Y-M04"}


def test_the_accessibility_audit_age_is_the_rulesets_measurement_age(tmp_path: Path) -> None:
    # The example's last audit is 2026-08-01, 117 days before TODAY: within 365 days and 120, not within 90.
    assert [f.status for f in _judge(tmp_path / "a", CHECKS["A11Y-M04"])] == [Status.PASS]
    assert [f.status for f in _judge(tmp_path / "b", load_ruleset(str(_ruleset(
        tmp_path, measurement_max_age_days=120))).checks["A11Y-M04"])] == [Status.PASS]
    stricter = load_ruleset(str(_ruleset(tmp_path, measurement_max_age_days=90)))
    findings = _judge(tmp_path / "c", stricter.checks["A11Y-M04"])
    assert [f.status for f in findings] == [Status.FAIL]
    assert "90 日より前" in findings[0].message.ja and "older than 90 days" in findings[0].message.en
    assert "our bureau's rule of 2026" in findings[0].message.en
    # With the default ruleset an old audit names 365 days and says the number is guideline-lint's default.
    old = _judge(tmp_path / "d", CHECKS["A11Y-M04"], {"accessibility": {"last_audit": "2025-06-01"}})
    assert [f.status for f in old] == [Status.FAIL]
    assert "365 日より前" in old[0].message.ja and "guideline-lint の既定値" in old[0].message.ja
    assert "older than 365 days" in old[0].message.en and "guideline-lint default" in old[0].message.en


def test_a_default_number_is_named_as_guideline_lints_default(tmp_path: Path) -> None:
    findings = _judge(tmp_path, CHECKS["LRN-002"], {"learning": {"training_rate": 0.5}})
    assert [f.status for f in findings] == [Status.FAIL]
    assert "0.8 未満" in findings[0].message.ja
    assert "guideline-lint の既定値" in findings[0].message.ja
    assert "guideline-lint default" in findings[0].message.en
    # The 3-hour first report is the source's number, and said so.
    findings = _judge(tmp_path / "b", CHECKS["SEC-003"], {"security": {"incident_first_report_hours": 5}})
    assert "lines 222, 441" in findings[0].message.en


def test_a_lower_bar_lets_a_smaller_user_test_pass(tmp_path: Path) -> None:
    small = {"evidence": {"user_tests": [{"date": "2026-06-12", "participants": 3,
                                          "report": "docs/usertest-2026-06.md"}]}}
    assert {f.status for f in _judge(tmp_path / "a", CHECKS["UX-M02"], small)} == {Status.FAIL}
    lower = load_ruleset(str(_ruleset(tmp_path, user_test_participants=3)))
    assert {f.status for f in _judge(tmp_path / "b", lower.checks["UX-M02"], small)} == {Status.PASS}


def test_a_page_check_reads_its_parameter_too(tmp_path: Path) -> None:
    page = PageFacts(url="https://service.example.jp/", address="https://service.example.jp/",
                     final_url="https://service.example.jp/", status=200, content_type="text/html; charset=utf-8",
                     headers={"strict-transport-security": "max-age=31536000"})
    facts = Facts(pages=[page], today=TODAY)
    assert [f.status for f in evaluate_check(CHECKS["SEC-P01"], facts)] == [Status.PASS]
    two_years = load_ruleset(str(_ruleset(tmp_path, hsts_max_age_min_seconds=63072000)))
    findings = evaluate_check(two_years.checks["SEC-P01"], facts)
    assert [f.status for f in findings] == [Status.FAIL]
    assert "63072000" in findings[0].message.en


def test_a_value_the_check_cannot_take_is_the_rulesets_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_ruleset(str(_ruleset(tmp_path, review_max_age_days=-1)))
    assert "review_max_age_days" in caught.value.message.en
