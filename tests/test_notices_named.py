"""What the report says was not evaluated names local pages by their files, never by the audit's own server
(``http://<secret>.localhost:<port>``), as findings do: codeforjapan/noto-house-map's about/index.html navigated
away to /en/about (its language redirect) and the note named the audit's host and port."""

from __future__ import annotations

from guideline_lint.facts.page import PageFacts
from guideline_lint.model import Finding, Location, Status, Target, Text, Verification
from guideline_lint.sources import named_texts, with_source_lines

SERVER = "http://5a324ea2070e896ee3ac9054a080a145.localhost:37091"


def _unaudited() -> PageFacts:
    return PageFacts(url="dist/about/index.html", address=f"{SERVER}/about/index.html",
                     local_file="/r/dist/about/index.html",
                     error=f"the page navigated away to {SERVER}/en/about before it could be audited")


def test_a_note_on_a_page_that_could_not_be_audited_names_files() -> None:
    page = _unaudited()
    notes = [Text(ja=f"ページを検査できませんでした: {page.url}（{page.error}）",
                  en=f"the page could not be audited: {page.url} ({page.error})"), Text(ja="x", en="x")]
    out = named_texts(notes, [page])
    assert out[0].ja == ("ページを検査できませんでした: dist/about/index.html"
                         "（the page navigated away to dist/en/about before it could be audited）")
    assert out[0].en.endswith("(the page navigated away to dist/en/about before it could be audited)")
    assert out[1] == notes[1]
    assert "localhost" not in "".join(t.ja + t.en for t in out)
    assert named_texts(notes[1:], []) == notes[1:]


def test_findings_are_named_from_pages_that_could_not_be_audited_too() -> None:
    page = _unaudited()
    finding = Finding(check_id="UX-P10", title=Text(ja="t", en="t"), principles=[1], domain="uiux",
                      target=Target.PAGE, status=Status.ERROR, severity="high", verification=Verification.MACHINE,
                      message=Text(ja=page.error or "", en=page.error or ""), subject=page.url,
                      location=Location(url=page.url))
    # No page was audited: the addresses are still named by the page that could not be.
    out = with_source_lines([finding], [], [page])
    assert out[0].message.en == "the page navigated away to dist/en/about before it could be audited"
    assert with_source_lines([finding], [])[0].message.en == finding.message.en
