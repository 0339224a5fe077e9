"""HTML report without a browser: self-contained, structured for assistive technology, complete."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from report_fixtures import make_report

from guideline_lint.model import Report
from guideline_lint.report import charts, html, render


class Outline(HTMLParser):
    """Collects what the structural assertions need: tags with attributes, headings, table shapes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self._heading: int | None = None
        self._text: list[str] = []
        self.tables: list[dict[str, list[str]]] = []
        self._in_table = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []
        if tag == "table":
            self.tables.append({"scopes": [], "rows": []})
            self._in_table = True
        if tag == "tr" and self.tables:
            self.tables[-1]["rows"].append("")
        if tag == "th" and self.tables:
            self.tables[-1]["scopes"].append(dict(attrs).get("scope") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, "".join(self._text).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._text.append(data)
        if self._in_table and self.tables[-1]["rows"]:
            self.tables[-1]["rows"][-1] += data


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture
def page(report: Report, baseline: Report) -> str:
    return render(report, "html", "ja", baseline)


def test_nothing_is_fetched_from_anywhere(page: str) -> None:
    parsed = outline(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        assert tag not in ("script", "link", "iframe", "object", "embed", "img", "base"), tag
        assert "srcset" not in attrs and "poster" not in attrs
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page  # the browser would refuse anything we missed
    hrefs = [a.get("href") or "" for tag, a in parsed.tags if tag == "a"]
    # Links (followed only by the reader's choice): the audited pages, and no address the project does not have.
    assert {h for h in hrefs if not h.startswith("#")} == {
        "http://127.0.0.1:8765/permit/index.html", "http://127.0.0.1:8765/permit/apply.html"}


def test_language_title_and_landmarks(report: Report) -> None:
    for lang, title in (("ja", "行動指針チェック結果: 例示許可申請サービス"),
                        ("en", "Code-of-conduct check report: 例示許可申請サービス")):
        parsed = outline(render(report, "html", lang))
        (root,) = [a for t, a in parsed.tags if t == "html"]
        assert root["lang"] == lang
        tags = [t for t, _ in parsed.tags]
        assert tags.count("main") == 1 and tags.count("header") == 1 and tags.count("footer") == 1
        assert "nav" in tags
        assert parsed.headings[0] == (1, title)
        assert any(t == "title" for t in tags)


def test_headings_never_skip_a_level(page: str) -> None:
    levels = [level for level, _ in outline(page).headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_every_table_has_a_caption_and_scoped_headers(page: str) -> None:
    parsed = outline(page)
    assert len(parsed.tables) >= 5
    assert all(scope in ("col", "row") for table in parsed.tables for scope in table["scopes"])
    captions = sum(1 for tag, _ in parsed.tags if tag == "caption")
    assert captions == len(parsed.tables)


def test_ids_are_unique_and_every_in_page_link_has_a_target(page: str) -> None:
    parsed = outline(page)
    ids = [a["id"] for _, a in parsed.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    for _, attrs in parsed.tags:
        href = attrs.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
        for ref in (attrs.get("aria-labelledby") or "").split():
            assert ref in ids, ref


def test_scores_table_and_charts_carry_the_same_numbers(report: Report) -> None:
    text = render(report, "html", "en")
    parsed = outline(text)
    scores = next(t for t in parsed.tables if t["rows"][0].startswith("Principle"))
    assert len(scores["rows"]) == 11
    assert "3. Leave no one behind42.5 (below threshold)" in scores["rows"][3]
    assert "not assessed" in scores["rows"][6]
    # The radar labels every spoke with its number and score as text.
    radar = text[text.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart radar"'):]
    radar = radar[: radar.index("</svg>")]
    assert re.findall(r'<tspan font-weight="bold">Principle (\d+)</tspan>', radar) == [str(n) for n in range(1, 11)]
    assert ">42.5</tspan>" in radar and ">not assessed</tspan>" in radar
    assert "Principle 3 Leave no one behind: 42.5" in radar  # in the <desc>
    assert "42.5 (below threshold 60)" in text  # the bar says so in words, not only by length


def test_per_principle_findings_with_place_and_fix(report: Report) -> None:
    text = render(report, "html", "en")
    section = text[text.index('id="p4-h"'): text.index('id="p5-h"')]
    assert "DATA-L1-01" in section
    assert "<code>data/施設一覧.csv row 4 column 住所</code>" in section
    assert "3 more places" not in section and "5 more places" in section
    assert "<strong>Fix:</strong> Fix DATA-L1-01" in section
    assert "Checks passed (1)" in section  # DATA-ENC-01 passed
    p3 = text[text.index('id="p3-h"'): text.index('id="p4-h"')]
    # Worst first: the failures before the error, both before nothing else.
    assert p3.index("A11Y-1.1.1") < p3.index("A11Y-1.4.3") < p3.index("A11Y-3.1.1")
    assert '&lt;img src=&quot;logo.png&quot;&gt;' in p3  # snippets are shown, escaped
    assert '<a href="http://127.0.0.1:8765/permit/index.html">' in p3
    p6 = text[text.index('id="p6-h"'): text.index('id="p7-h"')]
    assert "No check applies to this principle." in p6


def test_first_steps_for_weak_principles_only(report: Report) -> None:
    from guideline_lint.catalog import principles

    text = render(report, "html", "ja")
    section = text[text.index('id="first-steps-h"'): text.index('id="details-h"')]
    weak = re.findall(r"<h3>原則(\d+):", section)
    assert weak == ["3", "5", "6", "9", "10"]  # below 70, below threshold or not assessed
    assert escape_text(principles()[3].first_step.ja) in section
    assert escape_text(principles()[1].first_step.ja) not in section


def escape_text(text: str) -> str:
    from html import escape

    return escape(text)


def test_jis_table_from_the_extension_and_nothing_without_it() -> None:
    text = render(make_report(), "html", "ja")
    parsed = outline(text)
    jis = next(t for t in parsed.tables if t["rows"][0].startswith("達成基準"))
    assert len(jis["rows"]) == 1 + 38  # header + the 38 level A/AA criteria
    row_111 = next(r for r in jis["rows"] if r.startswith("1.1.1"))
    assert "非テキストコンテンツ" in row_111 and "不適合" in row_111 and "1 / 2" in row_111
    row_242 = next(r for r in jis["rows"] if r.startswith("2.4.2"))
    assert "自動判定で問題なし（要目視確認）" in row_242
    assert "適合レベル" in jis["rows"][0]
    assert "準拠" not in text  # automation never claims conformance
    without = render(make_report(with_jis=False), "html", "ja")
    assert 'id="jis-h"' not in without and "JIS X 8341-3:2016 達成基準" not in without


def test_jis_rows_in_the_simple_shape_render_too() -> None:
    rows = [{"criterion": "1.4.3", "level": "AA", "title_ja": "コントラスト（最低限）",
             "title_en": "Contrast (Minimum)", "result": "fail", "pages": ["http://127.0.0.1:8765/a.html"]}]
    report = make_report().model_copy(update={"extensions": {"jis_x_8341_3": rows}})
    text = render(report, "html", "en")
    jis = next(t for t in outline(text).tables if t["rows"][0].startswith("Success criterion"))
    assert jis["rows"][1] == "1.4.3AAContrast (Minimum)✕ Failure foundhttp://127.0.0.1:8765/a.html"


def test_kpi_table_says_met_or_not_in_words(report: Report) -> None:
    text = render(report, "html", "en")
    kpis = next(t for t in outline(text).tables if t["rows"][0].startswith("KPI"))
    nps = next(r for r in kpis["rows"] if "nps" in r)
    assert "1220✕ not met2026-09-30" in nps
    usage = next(r for r in kpis["rows"] if "online_usage_rate" in r)
    assert "84.0%80.0%✓ met" in usage
    training = next(r for r in kpis["rows"] if "training_rate" in r)
    assert "—50.0%— unknown" in training


def test_gate_and_baseline_in_the_summary(page: str) -> None:
    assert "✕ 不合格" in page
    assert "重大度「高」の不合格が 2 件あります" in page
    assert "↑ +3.3" in page
    assert "--no-pages のためページを検査しませんでした" in page


def test_user_text_is_escaped(report: Report) -> None:
    evil = report.model_copy(update={"service": {"id": "x", "name": '<script>alert("x")</script>'}})
    text = render(evil, "html", "en")
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_radar_points_lie_on_their_spokes() -> None:
    axes = [charts.Axis(n, str(n), 100.0 if n == 1 else 50.0, 60.0) for n in range(1, 11)]
    svg = charts.radar(axes, chart_id="r", title="t", description="d", not_assessed="-",
                       legend_score="s", legend_threshold="th")
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert circles[0] == ("320.0", "85.0")  # principle 1 at 100: straight up from (320, 255), radius 170
    assert circles[5] == ("320.0", "340.0")  # principle 6 at 50: straight down, half the radius
    assert svg.count("<circle") == 10
    # Spoke labels sit outside the rim (not clamped onto it) and inside the drawing.
    labels = [(float(x), float(y)) for x, y in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor', svg)]
    assert labels[0] == (320.0, pytest.approx(255 - 170 * 1.24, abs=0.1))
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert all(60 <= x <= width - 60 and 20 <= y <= height - 40 for x, y in labels)


def test_weak_rule() -> None:
    scores = {p.id: p for p in make_report().principles}
    assert [n for n, p in scores.items() if html.weak(p)] == [3, 5, 6, 9, 10]


def test_input_fields_per_page_with_the_change(report: Report, baseline: Report) -> None:
    text = render(report, "html", "en", baseline)
    fields = next(t for t in outline(text).tables if t["rows"][0].startswith("Page"))
    assert fields["rows"][1:] == ["http://127.0.0.1:8765/permit/apply.html114"]  # pages without forms left out
    assert "have 14 input fields in all" in text and "(Change since the baseline ↓ -3.0)" in text
    assert 'id="fields-h"' not in render(report.model_copy(update={"metrics": {}}), "html", "en")


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "html"])
def test_an_empty_report_renders(fmt: str) -> None:
    empty = Report(tool={"name": "guideline-lint"}, ruleset={"id": "x"}, service={"id": None},
                   generated_at="2026-11-26T00:00:00Z", score=None, principles=[], findings=[])
    text = render(empty, fmt, "en")
    assert text.strip()


def test_one_check_on_several_pages_is_one_row(report: Report) -> None:
    from report_fixtures import finding

    from guideline_lint.model import Location

    pages = [finding("A11Y-X", "fail", principles=[3], target="page", severity="high", subject=f"site/p{i}.html",
                     location=Location(url=f"site/p{i}.html", selector="img"), more_occurrences=1)
             for i in range(12)]
    text = render(report.model_copy(update={"findings": pages}), "html", "en")
    table = next(t for t in outline(text).tables if t["rows"][0].startswith("Result"))
    assert len(table["rows"]) == 2  # header and one row
    assert "The same result in 11 more places." in table["rows"][1]
    assert "site/p9.html img" in table["rows"][1] and "site/p10.html" not in table["rows"][1]
    assert "14 more places" in table["rows"][1]  # 2 pages beyond the 10 listed, and 12 counted elsewhere


def test_skipped_checks_grouped_by_reason(report: Report) -> None:
    from guideline_lint.model import Skipped, Text

    reason = Text(ja="--no-pages のためページを検査しませんでした", en="pages not checked (--no-pages)")
    skipped = [Skipped(check_id=f"A11Y-{n}", principles=[3], severity="high", target="page", reason=reason)
               for n in range(30)]
    text = render(report.model_copy(update={"skipped": skipped}), "html", "en")
    section = text[text.index('id="skipped-h"'):]
    assert section.count("<li>") == 1
    assert "30 checks not run: pages not checked (--no-pages)" in section
    assert "A11Y-0, A11Y-1," in section and "A11Y-29" in section
