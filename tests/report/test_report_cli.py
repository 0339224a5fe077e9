"""End to end: ``guideline-lint check`` on the sample service writes every format, each valid of its kind."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_fixtures import sarif_validator

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-service"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environment = {**os.environ, "LANG": "C.UTF-8", **(env or {})}
    environment.pop("GUIDELINE_LINT_LANG", None)
    return subprocess.run([sys.executable, "-m", "guideline_lint", *map(str, args)], capture_output=True,
                          text=True, timeout=120, env=environment, check=False)


@pytest.fixture(scope="module")
def broken_service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample service with a slow incident report target and its BCP deleted: two high failures."""
    root = tmp_path_factory.mktemp("svc") / "service"
    shutil.copytree(SAMPLE, root)
    manifest = root / "digital-service.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "incident_first_report_hours: 3\n" in text
    manifest.write_text(text.replace("incident_first_report_hours: 3\n", "incident_first_report_hours: 24\n"),
                        encoding="utf-8")
    (root / "docs" / "bcp.md").unlink()
    return root


def test_every_format_in_one_run(broken_service: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("check", broken_service, "--no-pages", "--format", "sarif", "--format", "junit",
                 "--format", "markdown", "--format", "html", "--format", "json", "--output-dir", out)
    assert result.returncode == 1, result.stderr  # the gate fails on the high failures
    files = {p.suffix: p for p in out.iterdir()}
    assert set(files) == {".sarif", ".xml", ".md", ".html", ".json"}

    log = json.loads(files[".sarif"].read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(log))
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert {"SEC-003", "SEC-004"} <= set(results)
    region = results["SEC-003"]["locations"][0]["physicalLocation"]
    assert region["artifactLocation"] == {"uri": "digital-service.yaml", "uriBaseId": "%SRCROOT%"}
    assert region["region"]["startLine"] > 1
    assert results["SEC-003"]["level"] == "error"

    junit = ET.fromstring(files[".xml"].read_bytes())
    failed = {c.get("name", "").split()[0] for c in junit.iter("testcase") if c.find("failure") is not None}
    assert {"SEC-003", "SEC-004"} <= failed
    assert int(junit.get("failures", "0")) == len(failed)

    markdown = files[".md"].read_text(encoding="utf-8")
    assert "**ゲート:** ❌ 不合格" in markdown
    assert "**SEC-003**" in markdown

    page = files[".html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"ja\">")
    assert "SEC-004" in page and "はじめの第一歩" in page


def test_sarif_in_english_to_one_file(broken_service: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    result = run("check", broken_service, "--no-pages", "--format", "sarif", "--output", target, "--lang", "en")
    assert result.returncode == 1, result.stderr
    log = json.loads(target.read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(log))
    assert log["runs"][0]["language"] == "en-US"
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["SEC-003"]["message"]["text"].startswith("The incident first-report target")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[results["SEC-004"]["ruleIndex"]]["shortDescription"]["text"] == "A business continuity plan exists"


def test_markdown_against_a_baseline_shows_what_got_worse(broken_service: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    clean = run("check", SAMPLE, "--no-pages", "--format", "json", "--output", baseline)
    assert clean.returncode == 0, clean.stderr
    summary = tmp_path / "summary.md"
    result = run("check", broken_service, "--no-pages", "--format", "markdown", "--output", summary,
                 "--baseline", baseline, "--lang", "en",
                 env={"GUIDELINE_LINT_REPORT_URL": "https://ci.example.jp/run/7"})
    assert result.returncode in (0, 1), result.stderr
    text = summary.read_text(encoding="utf-8")
    worse = text[text.index("**Worse or new"): text.index("**Better")]
    assert "**SEC-003**" in worse and "**SEC-004**" in worse
    assert "| Change |" in text and "↓" in text
    assert "[Full report](https://ci.example.jp/run/7)" in text
