"""Page kinds and the JIS table on saved page facts: no browser needed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from guideline_lint.collect.pages import PageFacts, parse_cookie
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts
from guideline_lint.jis import jis_criteria, jis_table, page_metrics
from guideline_lint.kinds import needs_of
from guideline_lint.kinds.base import Params
from guideline_lint.kinds.page import judge_security_txt, manual_probe, scan_markup, script_key
from guideline_lint.loading import load_bundled_checks
from guideline_lint.model import Status, Target

CHECKS = load_bundled_checks()


def page(**fields: Any) -> PageFacts:
    base: dict[str, Any] = {"url": "http://127.0.0.1:1/a.html", "address": "http://127.0.0.1:1/a.html",
                            "status": 200, "content_type": "text/html", "axe": {"violations": {}, "incomplete": {},
                                                                                "passes": [], "inapplicable": []}}
    base.update(fields)
    return PageFacts(**base)


def statuses(check_id: str, *pages: PageFacts) -> list[Status]:
    facts = Facts(pages=list(pages), today=date(2026, 11, 26))
    return [f.status for f in evaluate_check(CHECKS[check_id], facts)]


def test_jis_table_has_38_aa_and_25_a_criteria() -> None:
    assert len(jis_criteria("AA")) == 38 and len(jis_criteria("A")) == 25
    assert {c.id for c in jis_criteria("AA")} == {
        cid.removeprefix("A11Y-").replace("-", ".") for cid, c in CHECKS.items() if "jis-x-8341-3" in c.tags
    }


def test_html_document_rules_do_not_fire_on_svg() -> None:
    violation = {"html-has-lang": {"id": "html-has-lang", "count": 1, "nodes": [{"selector": "svg"}]}}
    svg = page(content_type="image/svg+xml", axe={"violations": violation, "incomplete": {}, "passes": [],
                                                  "inapplicable": []})
    html = page(axe={"violations": violation, "incomplete": {}, "passes": [], "inapplicable": []})
    assert statuses("A11Y-3-1-1", svg) == [Status.NOT_APPLICABLE]
    assert statuses("A11Y-3-1-1", html) == [Status.FAIL]


def test_a_page_not_audited_is_judged_by_the_page_load_check_alone() -> None:
    # One finding per broken page (UX-P10's), never a pass nor an error from every other page check.
    broken = page(status=500, error="HTTP 500", error_kind="http", axe=None)
    assert statuses("UX-P10", broken) == [Status.FAIL]
    page_checks = [c for c in CHECKS.values() if c.target == Target.PAGE and c.id != "UX-P10"]
    facts = Facts(pages=[broken], today=date(2026, 11, 26))
    judged = {c.id: [f.subject for f in evaluate_check(c, facts) if f.subject] for c in page_checks}
    assert {cid: subjects for cid, subjects in judged.items() if subjects} == {}
    good = page(url="http://127.0.0.1:1/b.html", address="http://127.0.0.1:1/b.html")
    assert [f.subject for f in evaluate_check(CHECKS["A11Y-1-1-1"], Facts(pages=[broken, good]))] == [good.url]


def test_a_page_without_an_answer_is_an_error_not_a_high_failure() -> None:
    # Issue #12: a slow page hit the time limit and became a high-severity "page does not load" failure.
    for kind in ("timeout", "network", "blocked", "protocol", "tool"):
        unanswered = page(status=None, error=f"{kind} problem", error_kind=kind, axe=None)
        assert statuses("UX-P10", unanswered) == [Status.ERROR], kind
    assert statuses("UX-P10", page(status=None, final_url="http://x/", error="more than 10 redirects",
                                   error_kind="http", axe=None)) == [Status.FAIL]


def test_markup_scan_finds_duplicates_but_not_template_or_script_content() -> None:
    scan = scan_markup('<p id="a" class="x" class="y"></p><template><p id="a"></p></template>'
                       '<script>document.write("<p id=a>")</script><p id="a"></p>')
    assert len(scan.duplicate_attributes) == 1
    assert [line for line, _ in scan.ids["a"]] == [1, 1] and len(scan.ids["a"]) == 2


def test_security_txt_rules() -> None:
    now = datetime(2026, 11, 26, tzinfo=UTC)
    assert judge_security_txt("Contact: mailto:a@b.jp\nExpires: 2027-01-01T00:00:00Z\n", now) == []
    assert judge_security_txt("Contact: mailto:a@b.jp\nExpires: 2026-01-01T00:00:00Z\n", now) == [
        "expired on 2026-01-01T00:00:00Z"]
    assert "no Contact field" in judge_security_txt("Expires: 2027-01-01T00:00:00Z", now)
    assert "no Expires field" in judge_security_txt("Contact: x", now)
    assert "Expires is not an RFC 3339 date: tomorrow" in judge_security_txt("Contact: x\nExpires: tomorrow", now)


def test_security_txt_is_judged_once_per_origin_and_missing_one_fails_off_loopback() -> None:
    missing = {"url": "https://a.example.jp/.well-known/security.txt", "status": 404, "text": None}
    pages = [page(url=f"https://a.example.jp/{i}", address=f"https://a.example.jp/{i}", security_txt=missing)
             for i in range(3)]
    assert statuses("SEC-P09", *pages) == [Status.FAIL]
    local = page(security_txt={"url": "http://127.0.0.1:1/.well-known/security.txt", "status": 404, "text": None})
    assert statuses("SEC-P09", local) == [Status.NOT_APPLICABLE]


def test_cookie_parsing() -> None:
    assert parse_cookie("sid=1; Path=/; Secure; HttpOnly; SameSite=strict") | {"raw": ""} == {
        "name": "sid", "secure": True, "httponly": True, "samesite": "Strict", "raw": ""}
    assert parse_cookie("theme=dark")["samesite"] is None


def test_hsts_only_on_https_and_mixed_content() -> None:
    assert statuses("SEC-P01", page()) == [Status.NOT_APPLICABLE]
    secure = page(url="https://a.example.jp/", address="https://a.example.jp/", final_url="https://a.example.jp/",
                  headers={"strict-transport-security": "max-age=63072000"}, http_resources=["http://x/y.js"])
    assert statuses("SEC-P01", secure) == [Status.PASS]
    assert statuses("SEC-P07", secure) == [Status.FAIL]


def test_page_scripts_cover_every_dom_and_manual_probe() -> None:
    scripts = needs_of(CHECKS.values()).page_scripts
    ux01 = CHECKS["UX-P01"].assert_["script"]
    assert script_key(ux01) in scripts
    assert all(key == script_key(text) for key, text in scripts.items())


def test_jis_table_states_and_metrics() -> None:
    alt_script = CHECKS["A11Y-1-1-1"].assert_["scripts"][0]
    axe = {"violations": {}, "incomplete": {}, "passes": ["image-alt", "document-title"], "inapplicable": []}
    dom_fail = {script_key(alt_script): {"status": "fail", "nodes": [{"selector": "img", "snippet": "<img>"}]},
                script_key(manual_probe("*")): {"status": "manual"}}
    dom_pass = {script_key(alt_script): {"status": "pass"}, script_key(manual_probe("*")): {"status": "manual"}}
    fail_page = page(url="p1", forms=[{"selector": "form", "fields": 4}], axe=axe, dom=dom_fail)
    pass_page = page(url="p2", forms=[], axe=axe, dom=dom_pass)
    findings = []
    for check_id in ("A11Y-1-1-1", "A11Y-2-4-2", "A11Y-1-3-2"):
        findings += evaluate_check(CHECKS[check_id], Facts(pages=[fail_page, pass_page]))
    rows = {row["jis"]: row for row in jis_table(findings, 2)}
    assert rows["1.1.1"]["result"] == "fail" and rows["1.1.1"]["pages_failed"] == 1
    assert rows["2.4.2"]["result"] == "no_problem_found"
    assert rows["1.3.2"]["result"] == "not_tested" and rows["1.3.2"]["pages_manual"] == 2
    assert rows["1.4.3"]["result"] == "not_tested" and rows["1.4.3"]["check_ids"] == []
    assert rows["1.1.1"]["result_label"] == {"ja": "不適合", "en": "Failure found"}
    assert all(row["pages_tested"] == 2 for row in rows.values())
    metrics = page_metrics([fail_page, pass_page])
    assert metrics["input_fields"]["total"] == 4 and metrics["pages"] == {"audited": 2, "errors": 0}


def test_headers_of_repository_files_are_not_judged() -> None:
    local = page(url="site/index.html", local_file="site/index.html", cookies=[
        {"name": "sid", "secure": False, "httponly": False, "samesite": None, "raw": "sid=1"}])
    for check_id in ("SEC-P02", "SEC-P03", "SEC-P04", "SEC-P05", "SEC-P06"):
        assert statuses(check_id, local) == [Status.NOT_APPLICABLE], check_id
    assert statuses("SEC-P02", page()) == [Status.FAIL]


def test_a_page_kind_module_registers_itself_with_its_script(tmp_path: Any, monkeypatch: Any) -> None:
    # A new page kind is one module in kinds/page/ (its script in a .js file beside it): no list to edit.
    import guideline_lint.kinds.page as package

    (tmp_path / "zz_probe.js").write_text("return {status: 'pass'};\n", "utf-8")
    (tmp_path / "zz_probe.py").write_text(
        "from guideline_lint.facts import Needs\n"
        "from guideline_lint.kinds.base import Kind, Params\n"
        "from guideline_lint.kinds.page.common import script_key\n"
        "from guideline_lint.model import Target\n"
        "SCRIPT = open(__file__[:-3] + '.js', encoding='utf-8').read()\n"
        "class ProbeKind(Kind):\n"
        "    name = 'zz_probe'\n    target = Target.PAGE\n    Params = Params\n"
        "    def needs(self, params):\n        return Needs(page_scripts={script_key(SCRIPT): SCRIPT})\n"
        "KINDS = [ProbeKind]\n", "utf-8")
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    found = {kind.name: kind for kind in package._discover()}
    assert set(found) >= {k.name for k in package.KINDS} | {"zz_probe"}
    assert list(found["zz_probe"]().needs(Params()).page_scripts.values()) == ["return {status: 'pass'};\n"]


def test_every_page_kind_module_is_registered() -> None:
    from guideline_lint.kinds import registry

    names = {name for name, kind in registry().items() if kind.target == Target.PAGE}
    assert names == {"wcag_sc", "axe", "dom", "http_status", "http_header", "cookie_flags", "security_txt",
                     "https_redirect", "mixed_content", "form_fields", "page_resources", "page_placeholders"}
