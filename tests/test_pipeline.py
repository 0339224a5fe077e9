"""The one pipeline: what it could not evaluate is said in the report and lowers coverage; a page that could
not be audited is one finding; an unreachable page is an environment problem (exit 3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main
from guideline_lint.facts import Facts, Needs
from guideline_lint.facts.page import PageFacts
from guideline_lint.kinds import needs_of, sees_unaudited_pages
from guideline_lint.loading import load_ruleset
from guideline_lint.model import Status, Target
from guideline_lint.pipeline import Collected, judge
from guideline_lint.targets import page_targets

from helpers import service_copy, validate_report


def run_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = CliRunner().invoke(main, [*args, "--format", "json", "--quiet", "--lang", "en"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    output = result.output
    start = output.index("{")
    report = json.loads(output[start: output.rindex("}") + 1])
    validate_report(report)
    return result.exit_code, report, output


def principle(report: dict[str, Any], number: int) -> dict[str, Any]:
    return next(p for p in report["principles"] if p["id"] == number)


def test_globs_that_match_nothing_are_reported_and_coverage_falls(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"service": {"pages": ["sit/**/*.html"]},
                                     "data": {"open_data": [{"catalog_id": "t000001d0000000001",
                                                             "files": ["dat/*.csv"]}]}})
    _, report, _ = run_json("check", str(folder))
    notices = [n["en"] for n in report["extensions"]["not_evaluated"]]
    assert "service.pages: sit/**/*.html matched no file" in notices
    assert "data.open_data.files: dat/*.csv matched no file" in notices
    # No page to audit: every page check is skipped with the reason, so principle 3 is not fully covered.
    page_skips = [s for s in report["skipped"] if s["target"] == "page"]
    assert page_skips and all("no page to audit" in s["reason"]["en"] for s in page_skips)
    assert principle(report, 3)["coverage"] < 1 and principle(report, 3)["incomplete"]


def test_no_pages_flag_is_named_as_the_reason(tmp_path: Path) -> None:
    _, report, _ = run_json("check", str(service_copy(tmp_path)), "--no-pages")
    assert {s["reason"]["en"] for s in report["skipped"]} == {"pages were not checked (--no-pages)"}
    assert "not_evaluated" not in report["extensions"]


def page(url: str, **fields: Any) -> PageFacts:
    return PageFacts(url=url, address=url, status=200, content_type="text/html", source="<html lang=ja></html>",
                     axe={"violations": {}, "incomplete": {}, "passes": [], "inapplicable": []}, **fields)


def test_an_unaudited_page_is_one_finding_of_the_page_load_check() -> None:
    checks = [c for c in load_ruleset().checks.values() if c.target == Target.PAGE]
    load_checks = {c.id for c in checks if sees_unaudited_pages(c)}
    assert load_checks == {"UX-P10"}
    good = page("https://example.jp/")
    slow = PageFacts(url="https://example.jp/slow", address="https://example.jp/slow",
                     error="no answer within 30 s", error_kind="timeout")
    collected = Collected(Facts(pages=[good]), unaudited_pages=[slow])
    findings, skipped = judge(checks, collected)
    about_slow = [f for f in findings if f.subject == slow.url]
    assert [(f.check_id, f.status) for f in about_slow] == [("UX-P10", Status.ERROR)]
    assert "could not be audited" in about_slow[0].message.en and "{" not in about_slow[0].message.ja
    assert not skipped and {f.subject for f in findings if f.check_id != "UX-P10"} <= {good.url, None}


def test_an_http_error_is_the_services_failure_not_an_error() -> None:
    checks = [c for c in load_ruleset().checks.values() if c.id == "UX-P10"]
    missing = PageFacts(url="https://example.jp/gone", address="https://example.jp/gone", status=404,
                        error="HTTP 404", error_kind="http")
    findings, _ = judge(checks, Collected(Facts(pages=[]), unaudited_pages=[missing]))
    assert [(f.check_id, f.status) for f in findings] == [("UX-P10", Status.FAIL)]


def test_needs_are_the_union_over_the_selected_checks_conditions_included() -> None:
    checks = [c for c in load_ruleset().checks.values() if c.target == Target.PAGE]
    needs = needs_of(checks)
    assert {"image-alt", "color-contrast"} <= needs.axe_rules
    assert {"security_txt", "http_variant", "keyboard"} <= needs.page_facts
    assert needs_of([]) == Needs()
    jis_only = needs_of(c for c in load_ruleset("jis-x-8341-3-aa").checks.values())
    assert "security_txt" not in jis_only.page_facts  # no request for security.txt when no check reads it


@pytest.mark.browser
def test_an_unreachable_page_exits_3_after_writing_a_short_report(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"service": {"pages": [], "urls": ["http://127.0.0.1:9/closed"]}})
    code, report, output = run_json("check", str(folder), "--workers", "1")
    assert code == 3 and "could not connect to 1 page(s): http://127.0.0.1:9/closed" in output
    page_findings = [f for f in report["findings"] if f["target"] == "page"]
    assert [(f["check_id"], f["status"]) for f in page_findings] == [("UX-P10", "error")]
    assert all("no page could be audited" in s["reason"]["en"] for s in report["skipped"] if s["target"] == "page")
    # Why, in each language (the socket's own words stay as they are): a Japanese report has no English sentence.
    [finding] = page_findings
    assert finding["reason"]["ja"].startswith("ページを検査できませんでした: ページを取得できません: ")
    assert finding["reason"]["en"].startswith("the page could not be audited: cannot fetch the page: ")
    [notice] = [n for n in report["extensions"]["not_evaluated"] if "127.0.0.1:9" in n["ja"]]
    assert "ページを取得できません" in notice["ja"] and "cannot fetch the page" in notice["en"]


def test_sarif_of_a_service_in_a_monorepo_points_at_files_from_the_repository_root(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from helpers import EXAMPLE

    repo = tmp_path / "monorepo"
    service = repo / "services" / "permit"
    shutil.copytree(EXAMPLE, service)
    (service / "docs" / "bcp.md").unlink()  # a manifest finding (SEC-004) that points into the service folder
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    out = tmp_path / "out.sarif"
    result = CliRunner().invoke(main, ["check", str(service), "--no-pages", "--format", "sarif", "--output", str(out),
                                       "--sarif-category", "permit", "--quiet"])
    assert result.exit_code == 1, result.output
    log = json.loads(out.read_text("utf-8"))
    run = log["runs"][0]
    assert run["automationDetails"]["id"].startswith("permit")
    uris = [loc["physicalLocation"]["artifactLocation"] for r in run["results"] for loc in r.get("locations", [])]
    assert uris and all(u["uriBaseId"] == "%SRCROOT%" and not u["uri"].startswith(("/", "http")) for u in uris)
    assert "services/permit/digital-service.yaml" in {u["uri"] for u in uris}


def test_a_service_names_its_own_kpi_and_it_counts_for_its_principle(tmp_path: Path) -> None:
    own = {"id": "shelter_search_sessions", "title": {"ja": "避難所検索の利用回数", "en": "Shelter searches"},
           "principles": [1], "type": "outcome", "unit": "count", "better": "higher", "value": 1200, "target": 1000,
           "measured_at": "2026-10-01"}
    folder = service_copy(tmp_path, {"kpis": [own]})
    code, report, _ = run_json("check", str(folder), "--no-pages")
    assert code in (0, 1)
    (kpi,) = report["kpis"]
    assert kpi["id"] == "shelter_search_sessions" and kpi["own"] and kpi["met"] and kpi["principles"] == [1]
    statuses = {f["check_id"]: f["status"] for f in report["findings"] if f["check_id"].startswith("KPI-P")}
    assert statuses["KPI-P1"] == "pass" and statuses["KPI-P2"] == "fail"  # it counts for its own principle only


def test_the_site_is_served_from_the_folder_its_page_globs_name(tmp_path: Path) -> None:
    from guideline_lint.targets import site_root

    (tmp_path / "dist" / "a").mkdir(parents=True)
    assert site_root(tmp_path, ["dist/**/*.html"]) == (tmp_path / "dist").resolve()
    assert site_root(tmp_path, ["./dist/index.html", "dist/a/*.html"]) == (tmp_path / "dist").resolve()
    assert site_root(tmp_path, ["*.html"]) == tmp_path
    assert site_root(tmp_path, ["dist/*.html", "docs/*.html"]) == tmp_path  # no common folder
    assert site_root(tmp_path, ["../elsewhere/*.html"]) == tmp_path


@pytest.mark.browser
def test_built_pages_find_their_root_relative_files_and_verification_files_are_not_pages(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"service": {"pages": ["dist/**/*.html"]}})
    dist = folder / "dist"
    (dist / "css").mkdir(parents=True)
    (dist / "css" / "site.css").write_text("body{color:#222}", encoding="utf-8")
    (dist / "index.html").write_text('<!DOCTYPE html><html lang="ja"><head><title>トップ</title>'
                                     '<link rel="stylesheet" href="/css/site.css"></head><body><main><h1>トップ</h1>'
                                     "</main></body></html>", encoding="utf-8")
    (dist / "google0123456789abcdef.html").write_text("google-site-verification: google0123456789abcdef.html",
                                                      encoding="utf-8")
    _, report, _ = run_json("check", str(folder), "--workers", "1")
    subjects = {f["subject"] for f in report["findings"] if f["target"] == "page" and f["check_id"] != "SEC-P09"}
    assert subjects == {"dist/index.html"}  # named from the repository's root; the verification file left out
    assert any("google0123456789abcdef.html" in n["en"] for n in report["extensions"]["not_evaluated"])
    resources = [f for f in report["findings"] if f["check_id"] == "UX-P12"]
    assert [f["status"] for f in resources] == ["pass"], resources


def test_a_sitemap_that_redirects_to_a_local_file_is_refused() -> None:
    import http.server
    import threading

    from guideline_lint.errors import EnvironmentProblem
    from guideline_lint.targets import read_sitemap

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(EnvironmentProblem) as raised:
            read_sitemap(f"http://127.0.0.1:{server.server_address[1]}/sitemap.xml", 10, timeout=5)
        assert "file" in raised.value.message.en.lower() or "scheme" in raised.value.message.en.lower()
    finally:
        server.shutdown()


def test_repository_wide_files_of_a_monorepo_count_for_a_service_in_a_folder(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from helpers import EXAMPLE

    repo = tmp_path / "monorepo"
    service = repo / "services" / "permit"
    shutil.copytree(EXAMPLE, service)
    for name in ("SECURITY.md", ".github/dependabot.yml"):
        (service / name).unlink(missing_ok=True)
    (repo / ".github").mkdir()
    (repo / "SECURITY.md").write_text("# 脆弱性の報告\n\ncsirt@example.metro.tokyo.lg.jp へ。\n", encoding="utf-8")
    (repo / ".github" / "dependabot.yml").write_text("version: 2\nupdates: []\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _, report, _ = run_json("check", str(service), "--no-pages")
    found = {f["check_id"]: f for f in report["findings"] if f["check_id"] in ("SEC-007", "SEC-010")}
    assert {k: f["status"] for k, f in found.items()} == {"SEC-007": "pass", "SEC-010": "pass"}
    assert found["SEC-007"]["location"]["file"] == "../../SECURITY.md"
    shutil.rmtree(repo / ".git")  # the same folder, no longer inside a repository: the files are missing
    _, alone, _ = run_json("check", str(service), "--no-pages")
    # ... and with no clone the bots' branches cannot be seen either: SEC-010 could not be judged, not failed
    assert {f["check_id"]: f["status"] for f in alone["findings"] if f["check_id"] in found} == {
        "SEC-007": "fail", "SEC-010": "error"}


def test_an_index_page_is_served_at_its_folders_url(tmp_path: Path) -> None:
    from guideline_lint.collect.static_server import StaticServer

    (tmp_path / "404").mkdir()
    (tmp_path / "404" / "index.html").write_text("<p>not found</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>top</p>", encoding="utf-8")
    (tmp_path / "about.html").write_text("<p>about</p>", encoding="utf-8")
    with StaticServer(tmp_path) as server:
        assert server.url_for(tmp_path / "404" / "index.html") == server.base_url + "404/"
        assert server.url_for(tmp_path / "index.html") == server.base_url
        assert server.url_for(tmp_path / "about.html") == server.base_url + "about.html"


def test_a_snippet_is_found_at_its_line_in_the_pages_own_file() -> None:
    from guideline_lint.sources import line_of

    source = '<!DOCTYPE html>\n<html lang="ja">\n<body>\n  <p><a href="contact.html"></a><img src="map.png"></p>\n'
    assert line_of(source, '<img src="map.png">') == (4, 33)
    assert line_of(source, '<a href="contact.html"></a>') == (4, 6)
    # Serialised differently by the browser (attribute order): found by a value that occurs once.
    assert line_of(source, '<img alt="" src="map.png">') == (4, 33)
    assert line_of(source, "<div>not here</div>") is None


def test_a_data_file_that_cannot_be_read_is_one_finding(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"data": {"open_data": [{"catalog_id": "t000001d0000000001",
                                                             "files": ["data/*.csv"]}]}})
    (folder / "data" / "settings.csv").write_text("項目,値\n", encoding="utf-8")  # a header and no data
    _, report, _ = run_json("check", str(folder), "--no-pages")
    about = [f for f in report["findings"] if f.get("subject") == "data/settings.csv"]
    assert [(f["check_id"], f["status"]) for f in about] == [("DATA-L1-01", "error")]
    assert "no data" in about[0]["message"]["en"]
    others = {f["subject"] for f in report["findings"] if f["target"] == "data" and f.get("subject")}
    assert others - {"data/settings.csv"}  # the readable files are still judged by every data check


def test_no_readable_data_file_skips_the_data_checks_with_the_reason(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"data": {"open_data": [{"catalog_id": "t000001d0000000001",
                                                             "files": ["data/empty.csv"]}]}})
    (folder / "data" / "empty.csv").write_text("\n\n", encoding="utf-8")
    _, report, _ = run_json("check", str(folder), "--no-pages")
    data_findings = [f for f in report["findings"] if f["target"] == "data"]
    assert [(f["check_id"], f["status"]) for f in data_findings] == [("DATA-L1-01", "error")]
    assert any("no data file could be read" in s["reason"]["en"] for s in report["skipped"] if s["target"] == "data")


def test_an_audit_of_open_data_files_judges_them_by_the_data_checks_alone(tmp_path: Path) -> None:
    # A record that spans lines (L1-14) and a name after a space (L1-06): what an auditor of open data expects
    # `audit FILE.csv` to find, without a manifest, a repository or a browser.
    data = tmp_path / "shops.csv"
    data.write_text("名称,説明\n鰹節屋,\"老舗。\n犬の餌も\"\n 図書館,本\n", encoding="utf-8")
    code, report, _ = run_json("audit", str(data))
    assert code in (0, 1)
    checks = {f["check_id"]: f for f in report["findings"]}
    assert checks and all(cid.startswith("DATA-") for cid in checks), sorted(checks)
    assert checks["DATA-L1-14"]["status"] == "fail" and checks["DATA-L1-14"]["location"]["file"] == "shops.csv"
    assert checks["DATA-L1-06"]["status"] == "fail"
    assert "pages" not in json.dumps(report.get("extensions", {}).get("not_evaluated", []))  # no page was asked for


def _definitions_repository(tmp_path: Path, readme: str) -> Path:
    """A git work tree (``.git`` is enough) with ``data/facilities.csv`` and ``readme`` as README.md at its top."""
    top = tmp_path / "opendata"
    (top / ".git").mkdir(parents=True)
    (top / "data").mkdir()
    data = top / "data" / "facilities.csv"
    data.write_text("施設名,所在地,電話番号,開館時間\n市立図書館,静岡県焼津市本町1-1,054-626-0000,09:00-17:00\n",
                    encoding="utf-8")
    (top / "README.md").write_text(readme, encoding="utf-8")
    return data


def test_an_audit_of_a_data_file_finds_the_definitions_in_a_readme_above_it(tmp_path: Path) -> None:
    # `audit data/facilities.csv` in a repository whose README defines the columns (as in check: §4b of
    # docs/realworld.md): the definition is found, and the file is named from the work tree's top.
    data = _definitions_repository(tmp_path, "# 施設一覧\n\n| 項目 | 説明 |\n|---|---|\n| 施設名 | 名前 |\n"
                                             "| 所在地 | 住所 |\n| 電話番号 | 代表番号 |\n| 開館時間 | 時刻 |\n")
    _, report, _ = run_json("audit", str(data))
    [finding] = [f for f in report["findings"] if f["check_id"] == "DATA-L3-08"]
    assert finding["status"] == "pass" and finding["location"] == {"file": "data/facilities.csv", "value": "README.md"}


def test_an_audit_of_a_data_file_does_not_take_a_readme_that_defines_no_column(tmp_path: Path) -> None:
    data = _definitions_repository(tmp_path, "# 焼津市オープンデータ\n\n施設の一覧を公開しています。\n")
    _, report, _ = run_json("audit", str(data))
    [finding] = [f for f in report["findings"] if f["check_id"] == "DATA-L3-08"]
    assert finding["status"] == "fail" and finding["location"]["file"] == "data/facilities.csv"


def test_an_audit_sorts_its_targets_into_pages_and_data_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "b.xlsx").write_bytes(b"PK")
    (tmp_path / "index.html").write_text("<html lang=ja><title>t</title></html>", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("text", encoding="utf-8")
    both = page_targets([str(tmp_path / n) for n in ("a.csv", "b.xlsx", "index.html", "notes.txt")])
    assert [p.name for p in both.data_paths] == ["a.csv", "b.xlsx"]
    assert sorted(p.name for p in both.local_pages) == ["index.html", "notes.txt"]  # a .txt stays a page, as before
    assert both.audited == {Target.PAGE, Target.DATA}
    assert page_targets([str(tmp_path / "a.csv")]).audited == {Target.DATA}
    assert page_targets([str(tmp_path / "index.html")]).audited == {Target.PAGE}


def test_an_audit_of_a_document_or_an_archive_judges_its_format_not_a_page(tmp_path: Path) -> None:
    # takamatsu-city/takamatsu-event-map 20250530161817312.zip was loaded in the browser ("the page could not be
    # audited: net::ERR_ABORTED"); a PDF of takamatsu-city/opendata is what L1-01 is for.
    (tmp_path / "export.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (tmp_path / "area.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    targets = page_targets([str(tmp_path / "export.zip"), str(tmp_path / "area.pdf")])
    assert sorted(p.name for p in targets.data_paths) == ["area.pdf", "export.zip"]
    assert targets.local_pages == [] and targets.audited == {Target.DATA}
    code, report, _ = run_json("audit", str(tmp_path / "area.pdf"), str(tmp_path / "export.zip"))
    assert code == 1
    formats = {f["subject"].rsplit("/", 1)[-1]: f["status"]
               for f in report["findings"] if f["check_id"] == "DATA-L1-01"}
    assert formats == {"area.pdf": "fail", "export.zip": "pass"}
    assert all(f["target"] == "data" for f in report["findings"])


def test_local_pages_are_served_from_a_folder_that_holds_what_they_link_to(tmp_path: Path) -> None:
    # digital-go-jp/design-system-example-components-html: src/components/x/playground.html links
    # '../../global.css'; served from src/components the style sheet was missing (UX-P12 on all 28 pages, and 20
    # focus-visible failures of an unstyled page).
    import subprocess

    repo = tmp_path / "repo"
    page = repo / "src" / "components" / "tab" / "playground.html"
    page.parent.mkdir(parents=True)
    (repo / "src" / "global.css").write_text(":focus-visible { outline: 4px solid black; }", encoding="utf-8")
    (repo / "secret.txt").write_text("not linked", encoding="utf-8")
    page.write_text('<html lang="ja"><link rel="stylesheet" href="../../global.css"><link href="tab.css">'
                    '<img src="../../../../../../../etc/hostname"><a href="https://example.jp/../x">x</a></html>',
                    encoding="utf-8")
    assert page_targets([str(page)]).site_root == page.parent  # no repository: a page does not choose what is served
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert page_targets([str(page)]).site_root == (repo / "src").resolve()  # up to what it links, inside the clone
