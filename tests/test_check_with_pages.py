"""`check` on the example service with its built pages audited in headless Chromium."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main

from helpers import EXAMPLE, validate_report


@pytest.mark.browser
def test_example_with_pages_passes_and_fills_the_jis_table() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLE), "--format", "json", "--quiet", "--workers", "2"])
    assert result.exit_code == 0, result.output[-2000:]
    report = json.loads(result.output)
    validate_report(report)
    assert all(p["score"] is not None and p["coverage"] == 1.0 for p in report["principles"])
    assert not report["skipped"]
    pages = {f["subject"] for f in report["findings"] if f["target"] == "page" and f.get("subject")}
    assert {"site/index.html", "site/apply.html"} <= pages
    table = report["extensions"]["jis_x_8341_3"]
    assert len(table) == 38 and all(row["result"] != "fail" for row in table)
    assert not any("準拠" in json.dumps(row, ensure_ascii=False) or row.get("result") == "適合" for row in table)
    assert report["metrics"]["input_fields"]["total"] == 5
    engine = report["extensions"]["page_audit"]  # what produced the results, as a 試験結果 must say
    assert engine["axe"] and engine["browser"] and engine["driver"] and engine["viewport"]
    # What needs a person is attested in the manifest, so nothing is left as manual.
    assert not [f for f in report["findings"] if f["status"] == "manual"]
