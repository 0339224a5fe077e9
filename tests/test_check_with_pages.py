"""`check` on the example service with its built pages audited in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main

from helpers import EXAMPLE, service_copy, validate_report


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


@pytest.mark.browser
def test_a_placeholder_in_an_audited_built_page_is_one_finding(tmp_path: Path) -> None:
    """TPL-002 judges a built page audited in the browser (rendered text, with the element); TPL-001 leaves that
    file alone and reads it only when pages are not audited (covid19-supportnavi's dist/index.html was two
    findings, 34 and 14 places, for one problem)."""
    page = (EXAMPLE / "site" / "contact.html").read_text(encoding="utf-8")
    placeholder = "<p>当サイトは〇〇市が運用しています。</p></main>"
    folder = service_copy(tmp_path, files={"site/contact.html": page.replace("</main>", placeholder, 1)})

    def statuses(*flags: str) -> dict[str, tuple[str, str | None]]:
        result = CliRunner().invoke(main, ["check", str(folder), "--format", "json", "--quiet", "--workers", "1",
                                           "--viewports", "desktop", *flags])
        findings = json.loads(result.output)["findings"]
        return {f["check_id"]: (f["status"], (f.get("location") or {}).get("file"))
                for f in findings if f["check_id"] in ("TPL-001", "TPL-002")
                and (f["status"] == "fail" or f["check_id"] == "TPL-001")}

    assert statuses() == {"TPL-001": ("pass", None), "TPL-002": ("fail", "site/contact.html")}
    assert statuses("--no-pages") == {"TPL-001": ("fail", "site/contact.html")}
