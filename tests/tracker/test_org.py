"""The organisation view over real HTTP (SQLite and PostgreSQL): the KGI first, the central bureau's dated indicator
values (entered with an editor's token), 未入力 for what nobody entered, and the services' quality indicators."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from tracker_fixtures import Running, as_json, lint_open_data, make_report

from guideline_lint.cli import main
from guideline_lint.model import KpiValue, Status
from guideline_lint.tracker.opendata import INDICATOR_COLUMNS

JSON = {"content-type": "application/json"}
AWARENESS = "code_of_conduct_awareness"


def enter(running: Running, token: str | None, entry: dict[str, Any] | bytes) -> httpx.Response:
    content = entry if isinstance(entry, bytes) else json.dumps(entry, ensure_ascii=False).encode()
    with running.client(token) as client:
        return client.post("/api/v1/indicators", content=content, headers=JSON)


def page(running: Running, path: str = "/") -> str:
    answer = httpx.get(running.url + path, timeout=30)
    assert answer.status_code == 200
    return answer.text


def section(html: str, section_id: str) -> str:
    """The HTML of one <section> of the overview, by its heading's id."""
    start = html.index(f'aria-labelledby="{section_id}"')
    return html[start:html.index("</section>", start)]


def block(html: str, indicator_id: str) -> str:
    start = html.index(f'id="indicator-{indicator_id}"')
    ends = [html.find(mark, start) for mark in ('class="indicator"', "</section>")]
    return html[start:min(end for end in ends if end >= 0)]


def quality(indicator_id: str, value: float, target: float | None = None) -> KpiValue:
    return KpiValue(id=indicator_id, principles=[], value=value, target=target, unit="ratio", indicator=True,
                    type="kgi")


def upload(running: Running, token: str, service_id: str, kpis: list[KpiValue], **options: Any) -> httpx.Response:
    with running.client(token) as client:
        return client.post("/api/v1/reports", content=as_json(make_report(service_id, kpis=kpis, **options)),
                           headers=JSON)


def test_entering_needs_an_editors_token_and_bad_input_stores_nothing(tracker: Running) -> None:
    service_token = tracker.store.add_service("svc-a")
    editor = tracker.store.add_editor("dsb-editor")
    good = {"indicator": AWARENESS, "date": "2026-03-31", "value": 0.62}
    for token in (None, "glt_not-a-token"):
        answer = enter(tracker, token, good)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    answer = enter(tracker, service_token, good)
    assert answer.status_code == 403 and "add-editor" in answer.json()["detail"]["en"]
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    refused = {
        "unknown_indicator": {**good, "indicator": "code_of_conduct_awarenes"},
        "out_of_range": {**good, "value": 62},  # a ratio given as a percentage
        "date_future": {**good, "date": tomorrow},
        "extra_forbidden": {**good, "by": "someone"},
        "missing": {"indicator": AWARENESS, "value": 0.5},
        "date_from_datetime_parsing": {**good, "date": "31/03/2026"},
    }
    for kind, entry in refused.items():
        answer = enter(tracker, editor, entry)
        assert answer.status_code == 422, (kind, answer.text)
        problems = answer.json()["detail"]
        assert kind in {p["type"] for p in problems}, (kind, problems)
        assert all(p["msg"] and p["msg_ja"] and p["loc"][0] == "body" for p in problems)
    typo = enter(tracker, editor, refused["unknown_indicator"]).json()["detail"][0]
    assert "Did you mean code_of_conduct_awareness?" in typo["msg"] and "ですか" in typo["msg_ja"]
    assert "0.62" in enter(tracker, editor, refused["out_of_range"]).json()["detail"][0]["msg"]
    for raw in (b"{not json", b"[]", b'{"indicator": "staff_satisfaction", "date": "2026-01-01", "value": NaN}'):
        assert enter(tracker, editor, raw).status_code == 422
    assert enter(tracker, editor, {**good, "source": "x" * 20_000}).status_code == 413
    assert tracker.store.org_values() == {}
    assert httpx.get(tracker.url + "/api/v1/indicators").json()[6]["values"] == []


def test_three_dated_values_trend_against_the_70_percent_target(tracker: Running) -> None:
    editor = tracker.store.add_editor("dsb-editor")
    for day, value in (("2024-03-31", 0.41), ("2026-03-31", 0.62), ("2025-03-31", 0.55)):
        answer = enter(tracker, editor, {"indicator": AWARENESS, "date": day, "value": value,
                                         "source": "職員アンケート"})
        assert answer.status_code == 201 and answer.json()["stored"] is True
    again = enter(tracker, editor, {"indicator": AWARENESS, "date": "2026-03-31", "value": 0.64})
    assert again.status_code == 200 and again.json()["stored"] is False  # the same day: replaced
    values = tracker.store.org_values()[AWARENESS]
    assert [(v.measured_on, v.value) for v in values] == [
        (date(2024, 3, 31), 0.41), (date(2025, 3, 31), 0.55), (date(2026, 3, 31), 0.64)]
    html = page(tracker)
    awareness = block(section(html, "foundation"), AWARENESS)
    assert "行動規範浸透率" in awareness
    assert "64.0%（2026-03-31 測定）" in awareness
    assert "70.0%（2022年度の目標値として70%を設定。行動指針 ver.1.1.0 資料 L123, L125）" in awareness
    assert "<dd>未達</dd>" in awareness
    [line] = re.findall(r'<polyline points="([^"]+)"', awareness)
    assert len(line.split()) == 3  # the trend: one point per dated value, in time order
    xs = [float(point.split(",")[0]) for point in line.split()]
    assert xs == sorted(xs)
    rows = re.findall(r'<tr><th scope="row">(\d{4}-\d{2}-\d{2})</th><td class="num">([\d.]+%)</td>', awareness)
    assert rows == [("2026-03-31", "64.0%"), ("2025-03-31", "55.0%"), ("2024-03-31", "41.0%")]
    english = block(page(tracker, "/?lang=en"), AWARENESS)
    assert "64.0% (measured 2026-03-31)" in english and "70 % set as the FY2022 target" in english
    assert "<dd>not met</dd>" in english
    enter(tracker, editor, {"indicator": AWARENESS, "date": "2026-04-01", "value": 0.71, "target": 0.75})
    newer = block(page(tracker), AWARENESS)
    assert "75.0%（2026-04-01 の入力）" in newer and "<dd>未達</dd>" in newer


def test_the_page_opens_with_the_kgi_and_shows_missing_values_as_not_entered(tracker: Running) -> None:
    html = page(tracker)
    body = html[html.index("<main"):]
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", body)
    assert headings[:3] == ["KGI：都民満足度", "デジタルによる行政サービスの品質", "サービス提供側となる都庁の基盤"]
    assert headings[-1] == "サービス別スコア"  # the per-principle view of all services comes after
    kgi = section(html, "kgi")
    assert ("「デジタルサービスに係る『都民満足度』をKGIとして設定し、"
            "デジタルサービスの品質を包括的に評価する指標とする」") in kgi
    assert "L56" in kgi and "デジタルサービスの総合満足度" in kgi and "アンケート調査" in kgi
    # Nothing entered: every indicator says so, and no value is drawn or printed as 0.
    assert body.count(">未入力</strong>") == 9
    assert not re.search(r"(?<![\d.])0(\.0)?%", body) and "<polyline" not in body
    assert body.count("行動指針に目標値の定めなし") == 8 and "70.0%" in section(html, "foundation")
    english = page(tracker, "/?lang=en")
    assert '<html lang="en">' in english and "KGI: Resident satisfaction" in english
    assert english.count(">not entered</strong>") == 9 and "未入力" not in english


def test_quality_indicators_per_service_and_for_the_organisation(tracker: Running) -> None:
    now = datetime.now(UTC)
    tokens = {s: tracker.store.add_service(s) for s in ("svc-a", "svc-b", "svc-c")}
    for months_ago, value in ((2, 0.5), (1, 0.6), (0, 0.8)):
        answer = upload(tracker, tokens["svc-a"], "svc-a", [quality("resident_satisfaction", value, 0.7)],
                        seed=months_ago, generated_at=now - timedelta(days=30 * months_ago))
        assert answer.status_code == 201, answer.text
    assert upload(tracker, tokens["svc-b"], "svc-b", [quality("resident_satisfaction", 0.6, 0.7),
                                                      quality("usability", 0.9)]).status_code == 201
    assert upload(tracker, tokens["svc-c"], "svc-c", []).status_code == 201
    kgi = section(page(tracker), "kgi")
    # Two of three services report it; their latest values are 0.8 and 0.6.
    assert "2 サービスが報告: 平均 70.0%、中央値 70.0%、目標達成 1 / 2" in kgi
    assert "1 サービスが報告: 平均 90.0%、中央値 90.0%、目標達成 —" in block(page(tracker), "usability")
    assert "報告しているサービスはまだありません" in block(page(tracker), "procedure_cost_time")
    service = page(tracker, "/services/svc-a")
    quality_html = service[service.index('aria-labelledby="quality"'):]
    quality_html = quality_html[:quality_html.index("</section>")]
    assert "都民満足度" in quality_html
    [values, targets] = re.findall(r'<polyline points="([^"]+)"', quality_html)
    assert len(values.split()) == 3 and len(targets.split()) == 3
    assert ">80.0%</td>" in quality_html and "<td>達成</td>" in quality_html
    # The tracker judges met itself (0.6 < 0.7), and the indicator is not listed among the KPIs.
    stored = tracker.store.reports_of("svc-b", limit=1)[0]
    assert stored.quality["resident_satisfaction"]["met"] is False and stored.kpis == {}
    assert "resident_satisfaction" in httpx.get(tracker.url + "/opendata/kpis.csv").text


def test_a_service_cannot_report_the_organisations_indicators(tracker: Running) -> None:
    token = tracker.store.add_service("svc-a")
    answer = upload(tracker, token, "svc-a", [quality(AWARENESS, 0.99)])
    assert answer.status_code == 422
    assert [p["type"] for p in answer.json()["detail"]] == ["unknown_indicator"]
    assert tracker.store.count_reports() == 0


def test_entered_text_is_escaped(tracker: Running) -> None:
    editor = tracker.store.add_editor("dsb-editor")
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    assert enter(tracker, editor, {"indicator": "staff_satisfaction", "date": "2026-01-05", "value": 0.5,
                                   "source": evil}).status_code == 201
    html = page(tracker)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_command_line_enters_values_with_the_same_rules(db_url: str) -> None:
    runner = CliRunner()
    token = runner.invoke(main, ["tracker", "add-editor", "dsb-editor", "--db", db_url])
    assert token.exit_code == 0 and token.stdout.strip().startswith("glt_")
    stored = runner.invoke(main, ["tracker", "indicator", "set", AWARENESS, "62%", "--date", "2026-03-31",
                                  "--source", "職員アンケート", "--db", db_url, "--lang", "en"])
    assert stored.exit_code == 0, stored.output
    refused = runner.invoke(main, ["tracker", "indicator", "set", AWARENESS, "62", "--date", "2026-03-31",
                                   "--db", db_url, "--lang", "en"])
    assert refused.exit_code == 2 and "62 % is 0.62" in refused.output
    listing = runner.invoke(main, ["tracker", "indicator", "list", "--db", db_url, "--lang", "en"])
    assert listing.exit_code == 0
    assert f"{AWARENESS}\tAwareness of the code of conduct\t0.62 (2026-03-31)" in listing.output
    assert "staff_satisfaction\tStaff satisfaction\tnot entered" in listing.output


def test_the_organisations_indicators_are_open_data_with_their_history(tracker: Running, tmp_path: Path) -> None:
    """Every dated value the central bureau entered, as a CSV by the Digital Agency's rules: the trend behind the
    charts, machine-readable (guideline-lint's own data checks find nothing), linked from every page."""
    editor = tracker.store.add_editor("dsb-editor")
    entries = [(AWARENESS, "2025-03-31", 0.55, None), (AWARENESS, "2024-03-31", 0.41, None),
               (AWARENESS, "2026-03-31", 0.72, None), ("resident_satisfaction", "2026-03-31", 0.58, 0.65),
               ("digital_talent_development", "2026-03-31", 1200, None)]
    for indicator, day, value, target in entries:
        answer = enter(tracker, editor, {"indicator": indicator, "date": day, "value": value, "target": target,
                                         "source": "職員アンケート"})
        assert answer.status_code == 201, answer.text
    answer = httpx.get(tracker.url + "/opendata/indicators.csv", timeout=30)
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert not answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8"))))
    assert rows[0] == INDICATOR_COLUMNS
    records = [dict(zip(INDICATOR_COLUMNS, row, strict=True)) for row in rows[1:]]
    picked = [(r["指標ID"], r["測定日"], r["実績値（単位列のとおり）"], r["目標値（単位列のとおり）"],
               r["目標値の出典"], r["目標達成フラグ"]) for r in records]
    # The KGI first, then the 都庁側 indicators in the source's order; each one's values oldest first.
    assert picked == [("resident_satisfaction", "2026-03-31", "0.58", "0.65", "入力", "0"),
                      (AWARENESS, "2024-03-31", "0.41", "0.7", "行動指針", "0"),
                      (AWARENESS, "2025-03-31", "0.55", "0.7", "行動指針", "0"),
                      (AWARENESS, "2026-03-31", "0.72", "0.7", "行動指針", "1"),
                      ("digital_talent_development", "2026-03-31", "1200", "", "", "")]
    assert {r["区分"] for r in records} == {"KGI", "サービス提供側となる都庁の基盤"}
    assert {r["単位"] for r in records} == {"割合", "人"}
    assert {r["全国地方公共団体コード"] for r in records} == {"130001"}
    assert all(r["値の出典"] == "職員アンケート" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["入力日"]) for r in records)
    # The data checks of guideline-lint itself (統一ルール L1–L3, placeholders, encoding) pass the file.
    findings = lint_open_data(tracker, tmp_path, ["indicators.csv"])
    assert [(f.check_id, f.message.en) for f in findings if f.status in (Status.FAIL, Status.ERROR)] == []
    assert sum(f.status == Status.PASS for f in findings) >= 10
    assert 'href="/opendata/indicators.csv"' in page(tracker)
