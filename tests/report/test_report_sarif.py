"""SARIF output: valid against the OASIS 2.1.0 schema, and the mapping from findings is right."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import FORM, NO_MATCH, NOT_AUDITED, PAGE, finding, make_report
from report_fixtures import sarif_validator as validator

from guideline_lint.model import Check, Location, Reference, Report, Text
from guideline_lint.report import render, sarif
from guideline_lint.targets import repository_root


def run_of(report: Report, lang: str = "ja", **options: Any) -> dict[str, Any]:
    options.setdefault("checks", {})  # rule texts from the fixture's findings, not the bundled checks
    log = json.loads(render(report, "sarif", lang, **options))
    return valid(log)["runs"][0]


def valid(log: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return log


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
    assert "informationUri" not in run["tool"]["driver"]  # no web address the project does not have


def check(check_id: str, **extra: Any) -> Check:
    data: dict[str, Any] = {
        "id": check_id, "title": Text(ja="BCP がある", en="A business continuity plan exists"),
        "message": Text(ja="BCP（{path}）がありません（{value}）。", en="The BCP ({path}) is missing: {value}."),
        "remediation": Text(ja="BCP を書いてください。", en="Write a BCP."),
        "principles": [5], "domain": "security", "target": "manifest", "phases": ["operation"],
        "severity": "high", "references": [Reference(document="行動指針 ver.1.1.0")],
        "assert": {"kind": "field", "path": "security.bcp"},
    }
    data.update(extra)
    return Check.model_validate(data)


def test_rules_one_per_check_and_indexes_point_at_them(report: Report) -> None:
    run = run_of(report, include_review=True, include_urls=True)
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {r["ruleId"] for r in run["results"]} == set(ids)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    sec = rules[ids.index("SEC-004")]
    # Without the check, the rule is described by the finding's fixed fields, never its filled-in message.
    assert sec["shortDescription"]["text"] == sec["fullDescription"]["text"].splitlines()[0] == \
        "CSIRT の連絡先が登録されている"
    assert "security.csirt_contact が空です" not in json.dumps(sec, ensure_ascii=False)
    assert sec["help"]["markdown"].endswith("`guideline-lint rules show SEC-004`")
    assert sec["properties"]["principles"] == [5]
    assert sec["properties"]["severity"] == "high"
    assert sec["properties"]["tags"] == ["security", "principle-5"]
    assert sec["properties"]["security-severity"] == "8.0"
    img = rules[ids.index("A11Y-1.1.1")]
    assert img["properties"]["references"][0]["jis"] == "1.1.1"
    assert img["properties"]["tags"] == ["accessibility", "principle-3", "jis-1.1.1"]
    assert "security-severity" not in img["properties"]


def test_rule_texts_come_from_the_check_and_stay_the_same_across_findings(report: Report) -> None:
    one = finding("SEC-004", "fail", domain="security", severity="critical",
                  message=Text(ja="BCP（security.bcp）がありません（docs/a.md）。", en="The BCP is missing: a"))
    two = one.model_copy(update={"message": Text(ja="BCP（security.bcp）がありません（docs/b.md）。", en="b"),
                                 "location": Location(file="digital-service.yaml", line=9, path="security.x")})
    checks = {"SEC-004": check("SEC-004")}
    rules = [run_of(report.model_copy(update={"findings": items}), "ja", checks=checks)["tool"]["driver"]["rules"]
             for items in ([one, two], [two, one])]
    assert rules[0] == rules[1]  # the order of findings does not change a rule's texts
    (rule,) = rules[0]
    assert rule["shortDescription"]["text"] == "BCP がある"
    assert rule["fullDescription"]["text"] == "BCP（…）がありません（…）。\n参照: 行動指針 ver.1.1.0"
    assert rule["help"]["text"] == "BCP を書いてください。"
    assert rule["help"]["markdown"].endswith("`guideline-lint rules show SEC-004`")
    assert "helpUri" not in rule  # the project publishes no web address: no link to a page that does not exist
    assert rule["name"] == "ABusinessContinuityPlanExists"
    # The ruleset's severity (critical here) wins over the check's own (high).
    assert rule["properties"]["security-severity"] == "9.5"
    assert rule["defaultConfiguration"]["level"] == "error"
    english = run_of(report.model_copy(update={"findings": [one]}), "en", checks=checks)
    assert english["tool"]["driver"]["rules"][0]["fullDescription"]["text"].startswith("The BCP (…) is missing: ….")


def test_bundled_checks_describe_rules_by_default() -> None:
    log = sarif.build(make_report().model_copy(update={"findings": [finding("SEC-004", "fail")]}), "en")
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["shortDescription"]["text"] == "A business continuity plan exists"
    assert "Result of SEC-004" not in rule["fullDescription"]["text"]


@pytest.mark.parametrize(("severity", "score"), [("critical", 9.5), ("high", 8.0), ("medium", 5.5), ("low", 2.0)])
def test_security_severity_falls_in_githubs_band(report: Report, severity: str, score: float) -> None:
    # GitHub: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
    one = finding("SEC-1", "fail", domain="security", severity=severity)
    (rule,) = run_of(report.model_copy(update={"findings": [one]}))["tool"]["driver"]["rules"]
    value = float(rule["properties"]["security-severity"])
    assert value == score
    band = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}[severity]
    assert band[0] < value <= band[1] if severity == "critical" else band[0] <= value <= band[1]


def test_levels_and_kinds_follow_severity_and_status(report: Report) -> None:
    run = run_of(report, include_review=True, include_urls=True)
    by_id = {r["ruleId"]: r for r in run["results"]}
    assert (by_id["SEC-004"]["kind"], by_id["SEC-004"]["level"]) == ("fail", "error")  # high
    assert (by_id["GOV-003"]["kind"], by_id["GOV-003"]["level"]) == ("fail", "warning")  # medium
    assert (by_id["UX-012"]["kind"], by_id["UX-012"]["level"]) == ("review", "none")  # manual
    assert (by_id["A11Y-3.1.1"]["kind"], by_id["A11Y-3.1.1"]["level"]) == ("open", "none")  # error
    low = make_report().model_copy(update={"findings": [finding("X-1", "fail", severity="low")]})
    assert run_of(low)["results"][0]["level"] == "note"
    critical = make_report().model_copy(update={"findings": [finding("X-1", "fail", severity="critical")]})
    assert run_of(critical)["results"][0]["level"] == "error"


def test_only_what_needs_fixing_is_uploaded_by_default(report: Report) -> None:
    run = run_of(report, "en")
    uploaded = {r["ruleId"] for r in run["results"]}
    # Failures and errors in files; manual (UX-012), waived (GOV-010), passes, n/a and live pages stay out.
    assert uploaded == {"SEC-004", "GOV-003", "DATA-L1-01"}
    notes = {n["descriptor"]["id"]: n for n in run["invocations"][0]["toolExecutionNotifications"]}
    assert notes["guideline-lint/urls"]["properties"]["count"] == 3  # A11Y-1.1.1, A11Y-1.4.3, A11Y-3.1.1
    assert notes["guideline-lint/review"]["properties"]["count"] == 3  # UX-012, SEC-HDR-01, GOV-010
    assert notes["guideline-lint/urls"]["level"] == "note"
    assert "3 results on live pages" in notes["guideline-lint/urls"]["message"]["text"]
    assert run["properties"]["omittedResults"] == {"review": 3, "urls": 3, "capped": 0, "total": 6}
    japanese = run_of(report, "ja")["invocations"][0]["toolExecutionNotifications"]
    assert any("公開中のページ（URL）の結果 3 件" in n["message"]["text"] for n in japanese)


def test_review_items_on_request_waived_ones_suppressed(report: Report) -> None:
    run = run_of(report, include_review=True)
    assert {"UX-012", "GOV-010"} <= {r["ruleId"] for r in run["results"]}
    (waived,) = results_for(run, "GOV-010")
    assert waived["kind"] == "fail"
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert "次期改修で対応" in suppression["justification"]
    assert suppression["properties"]["expires"] == "2027-03-31"
    (manual,) = results_for(run, "UX-012")  # attested item without a place: the manifest
    assert manual["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "digital-service.yaml", "uriBaseId": "%SRCROOT%"}


def test_passes_and_not_applicable_only_on_request(report: Report) -> None:
    log = valid(sarif.build(report, "ja", all_results=True, include_urls=True, checks={}))
    every = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert len(log["runs"][0]["results"]) == len(report.findings)
    assert (every["UX-001"]["kind"], every["UX-001"]["level"]) == ("pass", "none")
    assert every["SEC-HDR-01"]["kind"] == "notApplicable"
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["guideline-lint/skipped"]  # nothing left out, one check skipped


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


def test_live_pages_on_request_have_no_physical_location(report: Report) -> None:
    run = run_of(report, "en", include_urls=True)
    (img,) = results_for(run, "A11Y-1.1.1")
    location = img["locations"][0]
    assert "physicalLocation" not in location  # code scanning refuses http(s) URIs
    assert location["logicalLocations"][0]["fullyQualifiedName"] == f"{PAGE} main > img:nth-child(2)"
    assert location["message"]["text"] == '<img src="logo.png">'
    assert img["properties"]["url"] == PAGE
    assert img["message"]["text"].startswith("2 images have no alternative text")
    assert "main > img:nth-child(2)" in img["message"]["text"]
    assert img["relatedLocations"][0]["logicalLocations"][0]["name"] == f"{PAGE} footer img"
    (error,) = results_for(run, "A11Y-3.1.1")  # no location object, only a subject URL
    assert error["locations"][0]["logicalLocations"][0]["name"] == FORM
    assert "did not load" in error["message"]["text"]
    for result in run["results"]:
        for loc in result.get("locations", []):
            uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
            assert not uri.startswith(("http:", "https:")), result["ruleId"]


def test_pages_built_in_the_repository_are_files_with_their_line(report: Report) -> None:
    served = finding("A11Y-2", "fail", target="page", subject="site/申請.html",
                     location=Location(url="site/申請.html", selector="#form input", snippet="<input>"))
    located = finding("A11Y-3", "fail", target="page", subject="http://127.0.0.1:8123/site/a.html",
                      location=Location(file="site/a.html", line=12, url="http://127.0.0.1:8123/site/a.html",
                                        selector="main img", snippet="<img>"))
    run = run_of(report.model_copy(update={"findings": [served, located]}))
    first, second = run["results"]
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": "site/%E7%94%B3%E8%AB%8B.html", "uriBaseId": "%SRCROOT%"}
    assert location["logicalLocations"][0]["name"] == "#form input"
    assert location["message"]["text"] == "<input>"
    assert "#form input" in first["message"]["text"]
    physical = second["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "site/a.html"
    assert physical["region"] == {"startLine": 12, "snippet": {"text": "<img>"}}


def test_fingerprints_are_stable_and_tell_places_apart(report: Report) -> None:
    run = run_of(report, all_results=True, include_urls=True)
    prints = [r["partialFingerprints"][sarif.FINGERPRINT] for r in run["results"]]
    assert len(prints) == len(set(prints))
    first = report.findings[0]
    # Moving the manifest entry to another line keeps its identity (matched by the dotted path).
    moved = first.model_copy(update={"location": Location(
        file="digital-service.yaml", line=30, column=3, path="security.csirt_contact")})
    elsewhere = first.model_copy(update={"location": Location(
        file="digital-service.yaml", line=21, column=3, path="security.bcp")})
    printed = [run_of(report.model_copy(update={"findings": [f]}))["results"][0]["partialFingerprints"]
               for f in (first, moved, elsewhere)]
    assert printed[0] == printed[1] != printed[2]
    assert printed[0] == run["results"][0]["partialFingerprints"]


def test_results_are_capped_most_severe_first_and_the_rest_counted(report: Report) -> None:
    many = [finding(f"LOW-{i}", "fail", severity="low", location=Location(file=f"f{i}.md")) for i in range(5)]
    many.insert(3, finding("HIGH-1", "fail", severity="high", location=Location(file="h.md")))
    many.append(finding("ERR-1", "error", severity="critical", location=Location(file="e.md")))
    run = run_of(report.model_copy(update={"findings": many}), "en", max_results=3)
    # Kept: failures before errors, high before low; written in report order.
    assert [r["ruleId"] for r in run["results"]] == ["LOW-0", "LOW-1", "HIGH-1"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["LOW-0", "LOW-1", "HIGH-1"]
    note, _skipped = run["invocations"][0]["toolExecutionNotifications"]
    assert (note["level"], note["properties"]["count"]) == ("warning", 4)
    assert "4 lower-severity results were left out to stay within 3" in note["message"]["text"]
    assert run["properties"]["omittedResults"]["capped"] == 4
    assert sarif.MAX_RESULTS == 5000  # what GitHub keeps of a run (it rejects more than 25,000)
    with pytest.raises(ValueError, match="25000"):
        sarif.build(report, "ja", max_results=25001, checks={})


def test_category_is_the_automation_id(report: Report) -> None:
    assert run_of(report, category="permit/web")["automationDetails"]["id"] == "permit/web/"
    assert run_of(report)["automationDetails"]["id"] == "guideline-lint/tmg-code-of-conduct/"


def test_empty_report_is_still_valid(report: Report) -> None:
    run = run_of(report.model_copy(update={"findings": []}))
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_baseline_state_with_a_baseline(report: Report, baseline: Report) -> None:
    log = valid(json.loads(render(report, "sarif", "ja", baseline, checks={})))
    states = {r["ruleId"]: r["baselineState"] for r in log["runs"][0]["results"]}
    assert states["SEC-004"] == "updated"  # passed in the baseline, fails now
    assert states["GOV-003"] == "unchanged"
    assert "baselineState" not in json.loads(render(report, "sarif", "ja", checks={}))["runs"][0]["results"][0]
    fresh = report.model_copy(update={"findings": [*report.findings, finding("NEW-1", "fail")]})
    results = sarif.build(fresh, "ja", baseline=baseline, checks={})["runs"][0]["results"]
    states = {r["ruleId"]: r["baselineState"] for r in results}
    assert states["NEW-1"] == "new"


# --------------------------------------------------------------------------- a service in a monorepo


@pytest.fixture
def monorepo(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository with the service in services/permit and SECURITY.md at the root."""
    root = tmp_path / "repo"
    service = root / "services" / "permit"
    (service / "site").mkdir(parents=True)
    (service / "digital-service.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    (service / "site" / "index.html").write_text("<html></html>\n", encoding="utf-8")
    (root / "SECURITY.md").write_text("# Security\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    return root, service


def test_repository_root_is_the_git_top_level_or_the_folder(monorepo: tuple[Path, Path], tmp_path: Path) -> None:
    root, service = monorepo
    assert repository_root(service).resolve() == root.resolve()
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    assert repository_root(outside) == outside


def test_monorepo_results_point_at_files_from_the_repository_root(monorepo: tuple[Path, Path],
                                                                 report: Report) -> None:
    root, service = monorepo
    security = finding("SEC-020", "fail", target="repo", domain="security",
                       location=Location(file="../../SECURITY.md", line=1))
    page = finding("A11Y-9", "fail", target="page", subject="site/index.html",
                   location=Location(url="site/index.html", selector="h1"))
    escaping = finding("SEC-021", "fail", target="repo", location=Location(file="../../../elsewhere.md"))
    findings = [*report.findings, security, page, escaping]
    run = run_of(report.model_copy(update={"findings": findings}), include_review=True,
                 repo_root=repository_root(service), service_root=service)
    files = set()
    for result in run["results"]:
        for loc in result.get("locations", []) + result.get("relatedLocations", []):
            artifact = loc.get("physicalLocation", {}).get("artifactLocation")
            if artifact is None:
                continue
            assert artifact["uriBaseId"] == "%SRCROOT%"
            assert (root / artifact["uri"].replace("%E6%96%BD%E8%A8%AD%E4%B8%80%E8%A6%A7", "施設一覧")).resolve() \
                .is_relative_to(root.resolve()), artifact
            files.add(artifact["uri"])
    assert {"services/permit/digital-service.yaml", "services/permit/docs/bcp.md", "SECURITY.md",
            "services/permit/site/index.html"} <= files
    by_id = {r["ruleId"]: r for r in run["results"]}
    assert by_id["SEC-004"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 21, "startColumn": 3}
    assert by_id["UX-012"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "services/permit/digital-service.yaml"  # an attested item without a place: the service's manifest
    assert "locations" not in by_id["SEC-021"]  # outside the checkout: no file to point at
    assert run["properties"]["serviceFolder"] == "services/permit"
    # Without the roots, paths stay relative to the service folder (the behaviour before).
    plain = run_of(report.model_copy(update={"findings": findings}))
    assert {r["ruleId"]: r for r in plain["results"]}["SEC-004"]["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"] == "digital-service.yaml"



@pytest.mark.parametrize("lang", ["ja", "en"])
def test_what_was_not_evaluated_is_a_warning_in_the_reports_language(report: Report, lang: str) -> None:
    # The same lines as the text, Markdown and HTML reports: skipped checks, pages not audited, empty globs.
    report.extensions["not_evaluated"] = [NOT_AUDITED, NO_MATCH]
    run = run_of(report, lang)  # valid against the OASIS schema
    invocation = run["invocations"][0]
    notes = {n["message"]["text"]: n for n in invocation["toolExecutionNotifications"]}
    skipped_line = ("未実施のチェック 1 件: --no-pages のためページを検査しませんでした" if lang == "ja"
                    else "1 checks not run: pages not checked (--no-pages)")
    for text, kind in ((skipped_line, "skipped"), (NOT_AUDITED[lang], "not-evaluated"),
                       (NO_MATCH[lang], "not-evaluated")):
        assert notes[text]["level"] == "warning"
        assert notes[text]["descriptor"]["id"] == f"guideline-lint/{kind}"
    assert notes[skipped_line]["properties"]["checks"] == ["A11Y-PAGES-01"]
    (override,) = invocation["ruleConfigurationOverrides"]
    assert override["descriptor"] == {"id": "A11Y-PAGES-01"}
    assert override["configuration"] == {"enabled": False}
    assert override["properties"]["reason"] == report.skipped[0].reason.get(lang)
    assert invocation["executionSuccessful"] is True  # the tool ran; the service is not failed for it
    text = json.dumps(run, ensure_ascii=False)
    assert "{" + "reason}" not in text and "{" + "count}" not in text


def test_a_complete_run_has_no_not_evaluated_notification(report: Report) -> None:
    run = run_of(report.model_copy(update={"skipped": []}), "en")
    notes = run["invocations"][0].get("toolExecutionNotifications", [])
    assert not [n for n in notes if n["descriptor"]["id"] in ("guideline-lint/skipped", "guideline-lint/not-evaluated")]
    assert "ruleConfigurationOverrides" not in run["invocations"][0]
