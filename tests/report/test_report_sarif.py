"""SARIF output: valid against the OASIS 2.1.0 schema, and the mapping from findings is right."""

from __future__ import annotations

import json
from typing import Any

import pytest
from report_fixtures import FORM, PAGE, finding, make_report
from report_fixtures import sarif_validator as validator

from guideline_lint.model import Location, Report
from guideline_lint.report import render, sarif


def run_of(report: Report, lang: str = "ja") -> dict[str, Any]:
    log = json.loads(render(report, "sarif", lang))
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return log["runs"][0]


def results_for(run: dict[str, Any], check_id: str) -> list[dict[str, Any]]:
    return [r for r in run["results"] if r["ruleId"] == check_id]


def test_schema_rejects_a_broken_log() -> None:
    # The validator must be able to fail, or the other tests prove nothing.
    log = json.loads(render(make_report(), "sarif", "ja"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator().iter_errors(log))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_valid_against_the_oasis_schema(report: Report, lang: str) -> None:
    run = run_of(report, lang)
    assert run["tool"]["driver"]["name"] == "guideline-lint"
    assert run["tool"]["driver"]["version"] == "0.1.0"
    assert run["tool"]["driver"]["informationUri"].startswith("https://")


def test_rules_one_per_check_and_indexes_point_at_them(report: Report) -> None:
    run = run_of(report)
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {r["ruleId"] for r in run["results"]} == set(ids)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    sec = rules[ids.index("SEC-004")]
    assert sec["shortDescription"]["text"] == "CSIRT の連絡先が登録されている"
    assert "CSIRT の連絡先を記入してください" in sec["fullDescription"]["text"]
    assert sec["helpUri"].endswith("/docs/checks.md#sec-004")
    assert sec["properties"]["principles"] == [5]
    assert sec["properties"]["severity"] == "high"
    assert "security" in sec["properties"]["tags"]
    assert sec["properties"]["security-severity"] == "8.0"
    assert rules[ids.index("A11Y-1.1.1")]["helpUri"].endswith("#a11y-111")
    assert rules[ids.index("A11Y-1.1.1")]["properties"]["references"][0]["jis"] == "1.1.1"


def test_levels_and_kinds_follow_severity_and_status(report: Report) -> None:
    run = run_of(report)
    by_id = {r["ruleId"]: r for r in run["results"]}
    assert (by_id["SEC-004"]["kind"], by_id["SEC-004"]["level"]) == ("fail", "error")  # high
    assert (by_id["GOV-003"]["kind"], by_id["GOV-003"]["level"]) == ("fail", "warning")  # medium
    assert (by_id["UX-012"]["kind"], by_id["UX-012"]["level"]) == ("review", "none")  # manual
    assert (by_id["A11Y-3.1.1"]["kind"], by_id["A11Y-3.1.1"]["level"]) == ("open", "none")  # error
    low = make_report().model_copy(update={"findings": [finding("X-1", "fail", severity="low")]})
    assert run_of(low)["results"][0]["level"] == "note"
    critical = make_report().model_copy(update={"findings": [finding("X-1", "fail", severity="critical")]})
    assert run_of(critical)["results"][0]["level"] == "error"


def test_passes_and_not_applicable_only_on_request(report: Report) -> None:
    default = {r["ruleId"] for r in run_of(report)["results"]}
    assert not default & {"UX-001", "OSS-001", "DATA-ENC-01", "A11Y-2.4.2", "SEC-HDR-01"}
    log = sarif.build(report, "ja", all_results=True)
    assert not list(validator().iter_errors(log))
    every = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert len(log["runs"][0]["results"]) == len(report.findings)
    assert (every["UX-001"]["kind"], every["UX-001"]["level"]) == ("pass", "none")
    assert every["SEC-HDR-01"]["kind"] == "notApplicable"


def test_file_locations_are_relative_to_srcroot(report: Report) -> None:
    run = run_of(report)
    (sec,) = results_for(run, "SEC-004")
    physical = sec["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "digital-service.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 21, "startColumn": 3}
    assert sec["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "security.csirt_contact"
    (gov,) = results_for(run, "GOV-003")
    assert gov["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "docs/bcp.md", "uriBaseId": "%SRCROOT%"}
    }


def test_data_row_is_the_line_and_the_column_name_is_in_the_message(report: Report) -> None:
    (data,) = results_for(run_of(report), "DATA-L1-01")
    physical = data["locations"][0]["physicalLocation"]
    # Non-ASCII file names are percent-encoded: SARIF uris are URI references.
    assert physical["artifactLocation"]["uri"] == "data/%E6%96%BD%E8%A8%AD%E4%B8%80%E8%A6%A7.csv"
    assert physical["region"] == {"startLine": 4}
    assert "列「住所」" in data["message"]["text"]
    assert "ほか 5 か所" in data["message"]["text"]
    assert data["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 9


def test_page_findings_point_at_the_url_and_the_selector(report: Report) -> None:
    run = run_of(report, "en")
    (img,) = results_for(run, "A11Y-1.1.1")
    location = img["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": PAGE}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "main > img:nth-child(2)"
    assert location["message"]["text"] == '<img src="logo.png">'
    assert img["message"]["text"].startswith("2 images have no alternative text")
    assert "main > img:nth-child(2)" in img["message"]["text"]
    assert img["relatedLocations"][0]["logicalLocations"][0]["name"] == "footer img"
    (error,) = results_for(run, "A11Y-3.1.1")  # no location object, but a subject URL
    assert error["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == FORM
    assert "did not load" in error["message"]["text"]


def test_waived_failures_are_suppressed_with_the_reason(report: Report) -> None:
    (waived,) = results_for(run_of(report), "GOV-010")
    assert waived["kind"] == "fail"
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert "次期改修で対応" in suppression["justification"]
    assert suppression["properties"]["expires"] == "2027-03-31"


def test_fingerprints_are_stable_and_tell_places_apart(report: Report) -> None:
    run = run_of(report)
    prints = [r["partialFingerprints"][sarif.FINGERPRINT] for r in run["results"]]
    assert len(prints) == len(set(prints))
    # Moving the manifest entry to another line keeps its identity (matched by the dotted path).
    moved = report.findings[0].model_copy(update={"location": Location(
        file="digital-service.yaml", line=30, column=3, path="security.csirt_contact")})
    assert sarif._fingerprint(moved) == sarif._fingerprint(report.findings[0])
    elsewhere = report.findings[0].model_copy(update={"location": Location(
        file="digital-service.yaml", line=21, column=3, path="security.bcp")})
    assert sarif._fingerprint(elsewhere) != sarif._fingerprint(report.findings[0])
    assert run_of(make_report())["results"][0]["partialFingerprints"] == run["results"][0]["partialFingerprints"]


def test_empty_report_is_still_valid(report: Report) -> None:
    run = run_of(report.model_copy(update={"findings": []}))
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_every_result_has_a_physical_location(report: Report) -> None:
    # GitHub code scanning refuses a whole upload when one result has no location.
    log = sarif.build(report, "ja", all_results=True)
    for result in log["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], result["ruleId"]
    (manual,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "UX-012"]  # attested, no location
    assert manual["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "digital-service.yaml", "uriBaseId": "%SRCROOT%"}


def test_pages_built_in_the_repository_are_files(report: Report) -> None:
    local = finding("A11Y-2", "fail", target="page", subject="site/申請.html",
                    location=Location(url="site/申請.html", selector="#form input", snippet="<input>"))
    run = run_of(report.model_copy(update={"findings": [local]}))
    location = run["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": "site/%E7%94%B3%E8%AB%8B.html", "uriBaseId": "%SRCROOT%"}
    assert location["logicalLocations"][0]["name"] == "#form input"
    assert location["message"]["text"] == "<input>"
    assert "#form input" in run["results"][0]["message"]["text"]


def test_baseline_state_with_a_baseline(report: Report, baseline: Report) -> None:
    log = json.loads(render(report, "sarif", "ja", baseline))
    assert not list(validator().iter_errors(log))
    states = {r["ruleId"]: r["baselineState"] for r in log["runs"][0]["results"]}
    assert states["SEC-004"] == "updated"  # passed in the baseline, fails now
    assert states["GOV-003"] == "unchanged"
    assert "baselineState" not in json.loads(render(report, "sarif", "ja"))["runs"][0]["results"][0]
    fresh = report.model_copy(update={"findings": [*report.findings, finding("NEW-1", "fail")]})
    results = sarif.build(fresh, "ja", baseline=baseline)["runs"][0]["results"]
    states = {r["ruleId"]: r["baselineState"] for r in results}
    assert states["NEW-1"] == "new"
