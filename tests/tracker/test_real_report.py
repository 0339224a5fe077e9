"""A report made by `guideline-lint check` on the example service goes through the tracker unflagged."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tracker_fixtures import Running, register

from guideline_lint.cli import main

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
