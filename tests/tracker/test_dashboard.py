"""Dashboard HTML and open data over real HTTP: content, filters, escaping, machine-readable exports."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from tracker_fixtures import XSS_NAME, Running, as_json, lint_open_data, make_report

from guideline_lint.model import KpiValue, Status, Text
from guideline_lint.tracker.opendata import KPI_COLUMNS, SCORE_COLUMNS


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def get(running: Running, path: str) -> httpx.Response:
    return httpx.get(running.url + path, timeout=30)


def test_overview_shows_every_service_with_numbers(filled: Running) -> None:
    page = get(filled, "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    tags = parse(page.text)
    assert ("html", {"lang": "ja"}) in tags.tags
    assert not [t for t in tags.tags if t[0] == "script"]
    latest = {item.service.id: item.latest for item in filled.store.overview()}
    for service_id, report in latest.items():
        assert f'href="/services/{service_id}"' in page.text
        # every score appears as a number, not only as a colour
        assert f">{report.score:.1f}</td>" in page.text
    assert page.text.count('scope="col"') >= 16


def test_filters_by_bureau_and_phase(filled: Running) -> None:
    welfare = get(filled, "/?bureau=福祉局").text
    assert "/services/svc-nursery" in welfare and "/services/svc-planning" in welfare
    assert "/services/svc-permit" not in welfare
    development = get(filled, "/?bureau=福祉局&phase=development").text
    assert "/services/svc-planning" in development and "/services/svc-nursery" not in development
    assert '<option value="development" selected>' in development
    english = get(filled, "/?lang=en&phase=operation").text
    assert '<html lang="en">' in english and "Scores by service" in english


def test_registered_service_names_are_escaped(filled: Running) -> None:
    overview = get(filled, "/").text
    assert "<script>" not in overview and "<img" not in overview
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in overview


def test_names_and_messages_from_uploads_are_escaped(tracker: Running) -> None:
    token = tracker.store.add_service("svc-evil")  # no registered name: the report's name is shown
    report = make_report("svc-evil", seed=42)
    evil = report.findings[0].model_copy(update={
        "status": Status.FAIL, "message": Text(ja='<a href="javascript:alert(1)">x</a>', en="<b>x</b>")})
    report = report.model_copy(update={"findings": [evil, *report.findings[1:]],
                                       "service": {**report.service, "name": "<svg onload=alert(1)>"}})
    with tracker.client(token) as client:
        assert client.post("/api/v1/reports", content=as_json(report),
                           headers={"content-type": "application/json"}).status_code == 201
    for path in ("/services/svc-evil", "/"):
        page = get(tracker, path).text
        assert "<svg onload" not in page and "&lt;svg onload=alert(1)&gt;" in page
    page = get(tracker, "/services/svc-evil").text
    assert '<a href="javascript' not in page and "&lt;a href=&quot;javascript:alert(1)&quot;&gt;" in page


def test_service_page_has_radar_trend_kpis_and_findings(filled: Running) -> None:
    page = get(filled, "/services/svc-nursery")
    assert page.status_code == 200
    tags = parse(page.text)
    svgs = [attrs for tag, attrs in tags.tags if tag == "svg"]
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert sum("radar" in (a.get("class") or "") for a in svgs) == 1
    assert len(svgs) == 1 + 10 + 2  # radar, ten trends, two KPIs
    text = "".join(tags.text)
    assert "NPS" in text and "オンライン利用率" in text and "目標" in text
    latest = filled.store.reports_of("svc-nursery", limit=1)[0]
    _stored, payload = filled.store.get_report(latest.id)
    failing = [f["check_id"] for f in json.loads(payload)["findings"] if f["status"] == "fail"]
    assert failing and all(check_id in text for check_id in failing)
    headings = [tag for tag, _ in tags.tags if tag in ("h1", "h2")]
    assert headings.count("h1") == 1 and headings.count("h2") >= 4
    assert get(filled, "/services/nobody").status_code == 404


def test_open_data_csv_is_machine_readable(filled: Running) -> None:
    answer = get(filled, "/opendata/scores.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    raw = answer.content
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == SCORE_COLUMNS
    assert len(rows) == 1 + 3 * 10
    for row in rows[1:]:
        assert len(row) == len(SCORE_COLUMNS)
        record = dict(zip(SCORE_COLUMNS, row, strict=True))
        assert record["全国地方公共団体コード"] == "130001"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["報告日"])
        for column in ("スコア（点）", "評価できた割合", "総合スコア（点）", "合格数", "不合格数"):
            assert record[column] == "" or re.fullmatch(r"-?\d+(\.\d+)?", record[column]), (column, record[column])
    kpis = list(csv.reader(io.StringIO(get(filled, "/opendata/kpis.csv").text)))
    assert kpis[0] == KPI_COLUMNS and len(kpis) == 1 + 3 * 2
    assert {r[KPI_COLUMNS.index("単位")] for r in kpis[1:]} == {"点", "割合"}


def test_open_data_json(filled: Running) -> None:
    data = get(filled, "/opendata/scores.json").json()
    assert data["organization"]["code"] == "130001"
    assert {s["id"] for s in data["services"]} == {"svc-permit", "svc-nursery", "svc-planning"}
    assert [p["id"] for p in data["principles"]] == list(range(1, 11))
    permit = next(s for s in data["services"] if s["id"] == "svc-permit")
    assert permit["name"] == XSS_NAME  # JSON carries the raw value; escaping is the reader's job
    assert len(permit["principles"]) == 10 and {k["id"] for k in permit["kpis"]} == {"nps", "online_usage_rate"}


def test_open_data_passes_guideline_lints_own_data_checks(filled: Running, tmp_path: Path) -> None:
    """"Lint our own export": the CSVs are judged by the bundled data checks (総務省 統一ルール and more)."""
    findings = lint_open_data(filled, tmp_path, ["scores.csv", "kpis.csv"])
    assert len({f.subject for f in findings}) == 2
    failures = [(f.check_id, f.subject, f.message.en) for f in findings if f.status in (Status.FAIL, Status.ERROR)]
    assert failures == []
    assert sum(f.status == Status.PASS for f in findings) >= 10


def test_service_page_draws_the_newest_reports(tracker: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from guideline_lint.tracker import service_page

    monkeypatch.setattr(service_page, "HISTORY_LIMIT", 2)
    token = tracker.store.add_service("svc-a")
    for day in (1, 2, 3):
        report = make_report("svc-a", seed=day, generated_at=datetime(2026, 10, day, 9, tzinfo=UTC))
        with tracker.client(token) as client:
            client.post("/api/v1/reports", content=as_json(report), headers={"content-type": "application/json"})
    page = get(tracker, "/services/svc-a").text
    assert "2026-10-03 09:00" in page and "2026-10-02 09:00" in page and "2026-10-01 09:00" not in page


def test_open_data_defuses_spreadsheet_formulas(tracker: Running) -> None:
    token = tracker.store.add_service("svc-a")
    report = make_report("svc-a").model_copy(update={"service": {"id": "svc-a", "phase": "operation",
                                                                 "name": '=HYPERLINK("http://evil")', "bureau": "@x"}})
    with tracker.client(token) as client:
        client.post("/api/v1/reports", content=as_json(report), headers={"content-type": "application/json"})
    rows = list(csv.reader(io.StringIO(get(tracker, "/opendata/scores.csv").text)))
    assert rows[1][SCORE_COLUMNS.index("サービス名")] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][SCORE_COLUMNS.index("局名")] == "'@x"
    assert get(tracker, "/opendata/scores.json").json()["services"][0]["name"] == '=HYPERLINK("http://evil")'


def test_data_package_describes_every_column(filled: Running) -> None:
    package = get(filled, "/opendata/datapackage.json").json()
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO(get(filled, f"/opendata/{resource['path']}").text)))
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f["description"] and f["description_en"] for f in resource["schema"]["fields"])
        assert resource["encoding"] == "utf-8"


def test_flagged_report_is_marked_in_words(tracker: Running) -> None:
    token = tracker.store.add_service("svc-a", "申請サービス")
    honest = make_report("svc-a", seed=5, fail_share=0.5)
    inflated = honest.model_copy(update={"score": 99.0})
    with tracker.client(token) as client:
        client.post("/api/v1/reports", content=as_json(inflated), headers={"content-type": "application/json"})
    assert "⚠ 要確認" in get(tracker, "/").text
    page = get(tracker, "/services/svc-a").text
    assert "申告されたスコアがトラッカーの再計算と異なります: overall" in page
    assert f"<dd>{honest.score:.1f}</dd>" in page and "<dd>99.0</dd>" in page  # ours, then the claim
    english = get(tracker, "/services/svc-a?lang=en").text
    assert "claimed scores differ from the tracker&#x27;s recomputation: overall" in english


def _own_kpi(title_ja: str, title_en: str, unit: str, value: float) -> KpiValue:
    return KpiValue(id="KPI-OWN-1", principles=[2], value=value, target=None, unit=unit, better="lower",
                    title=Text(ja=title_ja, en=title_en), own=True)


def _kpi_rows(html_text: str) -> dict[str, list[str]]:
    """The all-services KPI table: row header text → the row's cells."""
    table = html_text.split('id="indicators"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [html.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>",
                                                                                          row, re.S)]
        rows[" ".join(cells[0])] = [" ".join(c) for c in cells[1:]]
    return rows


def test_two_services_own_kpis_that_share_an_id_are_not_averaged_together(tracker: Running) -> None:
    """Two services call different KPIs KPI-OWN-1; a third reports the first one's KPI (same name and unit): the table
    aggregates the same KPI only and names each by its own name."""
    uploads = [("svc-wait-a", "窓口A", _own_kpi("窓口の待ち時間", "Waiting time", "minutes", 10)),
               ("svc-count", "申請受付", _own_kpi("申請の件数", "Applications", "persons", 500)),
               ("svc-wait-b", "窓口B", _own_kpi("窓口の待ち時間", "Waiting time", "minutes", 20))]
    for service_id, name, kpi in uploads:
        token = tracker.store.add_service(service_id, name, "デジタルサービス局")
        with tracker.client(token) as client:
            answer = client.post("/api/v1/reports", content=as_json(make_report(service_id, kpis=[kpi])),
                                 headers={"content-type": "application/json"})
        assert answer.status_code == 201, answer.text
    stored = {r.service_id: r.kpis["KPI-OWN-1"] for item in tracker.store.overview() if (r := item.latest)}
    assert stored["svc-count"]["title_ja"] == "申請の件数" and stored["svc-wait-a"]["unit"] == "minutes"
    ja = _kpi_rows(get(tracker, "/").text)
    wait = ja["窓口の待ち時間（サービス独自の KPI） 報告: 窓口A、窓口B"]
    assert wait[:3] == ["2", "15 分", "15 分"]  # the two waiting times, not (10 + 500 + 20) / 3
    count = ja["申請の件数（サービス独自の KPI） 報告: 申請受付"]
    assert count[:3] == ["1", "500 人", "500 人"]
    assert len(ja) == 2
    en = _kpi_rows(get(tracker, "/?lang=en").text)
    assert en["Waiting time (the service's own KPI) reported by 窓口A, 窓口B"][:3] == ["2", "15 min", "15 min"]
    assert en["Applications (the service's own KPI) reported by 申請受付"][:3] == ["1", "500 persons", "500 persons"]


def test_a_services_own_kpi_redefined_under_the_same_id_is_charted_apart(tracker: Running) -> None:
    """A service that reuses its own KPI's id for another KPI (another name and unit): its page draws two charts,
    each with its own values, instead of one line joining minutes and persons under the newest name."""
    token = tracker.store.add_service("svc-redefined", "窓口C", "デジタルサービス局")
    reports = [make_report("svc-redefined", seed=1, generated_at=datetime(2026, 9, 1, tzinfo=UTC),
                           kpis=[_own_kpi("窓口の待ち時間", "Waiting time", "minutes", 12)]),
               make_report("svc-redefined", seed=2, generated_at=datetime(2026, 10, 1, tzinfo=UTC),
                           kpis=[_own_kpi("申請の件数", "Applications", "persons", 480)])]
    with tracker.client(token) as client:
        for report in reports:
            answer = client.post("/api/v1/reports", content=as_json(report),
                                 headers={"content-type": "application/json"})
            assert answer.status_code == 201, answer.text
    page = get(tracker, "/services/svc-redefined?lang=en").text
    section = html.unescape(page.split('id="kpis"', 1)[1].split("</section>", 1)[0])
    titles = re.findall(r"<h3>(.*?)</h3>", section)
    assert titles == ["Applications (the service's own KPI)", "Waiting time (the service's own KPI)"]
    waiting = section.split("Waiting time (the service's own KPI)</h3>", 1)[1]
    assert "12 min" in waiting.split("<h3>", 1)[0] and "480" not in waiting.split("<h3>", 1)[0]
