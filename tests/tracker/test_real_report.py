"""A report made by `guideline-lint check` on the example service goes through the tracker unflagged."""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
from pathlib import Path

import httpx
from click.testing import CliRunner
from tracker_fixtures import Running, register

from guideline_lint.cli import main
from guideline_lint.tracker.opendata import KPI_COLUMNS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-service"


def test_report_from_the_cli_is_stored_with_the_same_scores(tracker: Running, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    made = CliRunner().invoke(main, ["check", str(EXAMPLE), "--no-pages", "--format", "json", "--output",
                                     str(report), "--quiet"])
    assert made.exit_code in (0, 1), made.output
    claimed = json.loads(report.read_text(encoding="utf-8"))
    token = register(tracker, claimed["service"]["id"])
    sent = CliRunner().invoke(main, ["upload", str(report), "--tracker", tracker.url, "--token", token,
                                     "--spool-dir", str(tmp_path / "spool"), "--lang", "en"])
    assert sent.exit_code == 0, sent.output
    assert "⚠" not in sent.output  # an honest report raises no flag
    stored = tracker.store.reports_of(claimed["service"]["id"])[0]
    assert not stored.flagged and stored.score == claimed["score"]
    assert {n: p["score"] for n, p in stored.principles.items()} == {p["id"]: p["score"] for p in claimed["principles"]}
    overview = tracker.store.overview()[0]
    assert overview.display_name == claimed["service"]["name"] and overview.bureau == claimed["service"]["bureau"]


OWN_KPI = ("  - {id: permit_days, title: {ja: 許可までの日数, en: Days to a permit}, principles: [2, 9],\n"
           "     type: outcome, unit: days, better: lower, value: 12, target: 10, measured_at: 2026-09-30}\n")


def test_a_services_own_kpi_is_checked_and_named_in_the_tracker(tracker: Running, tmp_path: Path) -> None:
    """Issue #11: a manifest with its own KPI is checked (exit 0/1), and the KPI keeps its name in the tracker's
    pages and open data (a catalogue KPI is named by the catalogue)."""
    service = tmp_path / "svc"
    shutil.copytree(EXAMPLE, service)
    manifest = service / "digital-service.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("kpis:\n", "kpis:\n" + OWN_KPI, 1),
                        encoding="utf-8")
    report = tmp_path / "report.json"
    made = CliRunner().invoke(main, ["check", str(service), "--no-pages", "--format", "json", "--output",
                                     str(report), "--quiet"])
    assert made.exit_code in (0, 1), made.output
    claimed = json.loads(report.read_text(encoding="utf-8"))
    assert next(k for k in claimed["kpis"] if k["id"] == "permit_days")["own"] is True
    service_id = claimed["service"]["id"]
    sent = CliRunner().invoke(main, ["upload", str(report), "--tracker", tracker.url, "--token",
                                     register(tracker, service_id), "--spool-dir", str(tmp_path / "spool")])
    assert sent.exit_code == 0, sent.output
    [stored] = tracker.store.reports_of(service_id)
    own_kpi = stored.kpis["permit_days"]
    assert own_kpi["own"] is True and own_kpi["title_en"] == "Days to a permit"
    assert stored.kpis["nps"]["own"] is False and stored.kpis["nps"]["title_ja"] is None
    own_ja, own_en = "許可までの日数（サービス独自の KPI）", "Days to a permit (the service's own KPI)"
    for path, own, catalogue in (("/", own_ja, "NPS（ネットプロモータースコア）による評価"),
                                 ("/?lang=en", own_en, "Net Promoter Score (NPS)"),
                                 (f"/services/{service_id}", own_ja, "NPS"),
                                 (f"/services/{service_id}?lang=en", own_en, "NPS")):
        page = html.unescape(httpx.get(tracker.url + path, timeout=30).text)
        assert own in page and catalogue in page and ">permit_days<" not in page, path
    rows = list(csv.reader(io.StringIO(httpx.get(tracker.url + "/opendata/kpis.csv", timeout=30).text)))
    records = {r[KPI_COLUMNS.index("指標ID")]: dict(zip(KPI_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert records["permit_days"]["指標名"] == "許可までの日数" and records["permit_days"]["独自KPIフラグ"] == "1"
    assert records["permit_days"]["単位"] == "日" and records["permit_days"]["目標達成フラグ"] == "0"
    assert records["nps"]["独自KPIフラグ"] == "0"
