"""Findings on local pages name the files the user gave, never the audit's own server
(``http://<secret>.localhost:<port>/…``: meaningless to a reader, different every run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.commands.audit import audit
from guideline_lint.facts.page import PageFacts
from guideline_lint.model import Finding, Location, Status, Target, Text, Verification
from guideline_lint.sources import line_of, served_prefixes, with_source_lines

SERVER = "http://0123abcd.localhost:41234"


def finding(subject: str, url: str, message: str) -> Finding:
    return Finding(check_id="SEC-P09", title=Text(ja="t", en="t"), principles=[5], domain="security",
                   target=Target.PAGE, status=Status.NOT_APPLICABLE, severity="low",
                   verification=Verification.MACHINE, message=Text(ja=message, en=message), subject=subject,
                   location=Location(url=url), occurrences=[Location(url=url, snippet=f"<a href={url}>")])


def test_the_local_server_address_becomes_the_path_the_page_is_named_by() -> None:
    pages = [PageFacts(url="site/public/404/index.html", address=f"{SERVER}/404/",
                       local_file="/r/site/public/404/index.html"),
             PageFacts(url="https://example.jp/", address="https://example.jp/")]
    assert served_prefixes(pages) == {SERVER: "site/public/"}
    assert served_prefixes([PageFacts(url="index.html", address=f"{SERVER}/", local_file="/r/index.html")]) == {
        SERVER: ""}
    # A name that only ends like the served path is not taken for it (x-index.html is not index.html).
    assert served_prefixes([PageFacts(url="x-index.html", address=f"{SERVER}/", local_file="/r/x-index.html")]) == {}
    security_txt = f"{SERVER}/.well-known/security.txt"
    out = with_source_lines([finding(security_txt, security_txt, f"not found: {security_txt} ({SERVER})"),
                             finding("https://example.jp/", "https://example.jp/", "x")], pages)
    assert out[0].subject == out[0].location.url == "site/public/.well-known/security.txt"
    assert out[0].occurrences[0].snippet == "<a href=site/public/.well-known/security.txt>"
    assert out[0].message.en == "not found: site/public/.well-known/security.txt (site/public)"
    assert out[1].subject == "https://example.jp/"
    assert "localhost" not in json.dumps([f.model_dump(mode="json") for f in out])


@pytest.mark.browser
def test_an_audit_of_a_folder_shows_no_local_server_address(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    page = "<!DOCTYPE html><html lang='ja'><title>t</title><main><h1>t</h1><img src='{}' alt='x'></main></html>"
    (site / "index.html").write_text(page.format("missing.png"), "utf-8")
    (site / "sub" / "index.html").write_text(page.format("/gone.png"), "utf-8")
    ruleset = tmp_path / "ruleset.yaml"
    ruleset.write_text("id: t\nversion: '1'\ntitle: {ja: t, en: t}\ninclude:\n"
                       "  - {ids: [SEC-P09, SEC-P08, UX-P12, UX-P10]}\n", "utf-8")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(audit, [str(site), "--ruleset", str(ruleset), "--format", "json", "--output",
                                        str(out), "--workers", "1", "--quiet", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    text = out.read_text("utf-8")
    assert ".localhost" not in text and "127.0.0.1" not in text
    findings = json.loads(text)["findings"]
    security_txt = next(f for f in findings if f["check_id"] == "SEC-P09")
    assert security_txt["status"] == "not_applicable"
    assert security_txt["location"]["url"] == ".well-known/security.txt"
    assert "live URL" in security_txt["reason"]["en"]
    assert {f["subject"] for f in findings if f["check_id"] == "UX-P12"} == {"index.html", "sub/index.html"}


def test_a_bare_tag_is_placed_by_its_text_never_at_the_first_tag_of_its_name() -> None:
    source = ("<body>\n<p>はじめに</p>\n<ul>\n  <li>普通の項目です</li>\n  <li>〇〇市が運用しています。</li>\n</ul>\n"
              "<p>\n  おわり</p>\n")
    assert line_of(source, "<li>〇〇市が運用しています。</li>") == (5, 3)
    assert line_of(source, "<li>同じ文のない項目です</li>") is None  # not the first <li>
    assert line_of(source, "<p>はじめに</p>") is None  # text under 8 characters: too common to place
