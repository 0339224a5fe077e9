"""The page time limit of `check`: `--timeout` wins over the manifest's `service.page_timeout`, which wins over
the default 30 s (issue #12). A page on a loopback server that never answers shows the limit in force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from page_fixtures import FixtureServer

from guideline_lint.cli import main
from guideline_lint.errors import InputError
from guideline_lint.loading import load_manifest
from guideline_lint.pipeline import DEFAULT_PAGE_TIMEOUT, RunOptions, page_time_limit
from guideline_lint.targets import Targets

MANIFEST = """schema_version: 1
service:
  id: slow-service
  name: {{ja: 遅いページのサービス}}
  bureau: デジタルサービス局
  phase: operation  # UX-P10 (the page loads) is judged in operation
  urls: [{url}]
{extra}"""


def write_service(folder: Path, url: str, extra: str = "") -> Path:
    folder.mkdir()
    (folder / "digital-service.yaml").write_text(MANIFEST.format(url=url, extra=extra), encoding="utf-8")
    return folder


def test_the_flag_wins_over_the_manifest_which_wins_over_the_default() -> None:
    assert page_time_limit(RunOptions(), Targets()) == DEFAULT_PAGE_TIMEOUT == 30
    assert page_time_limit(RunOptions(), Targets(page_timeout=90)) == 90
    assert page_time_limit(RunOptions(page_timeout=5), Targets(page_timeout=90)) == 5
    assert page_time_limit(RunOptions(page_timeout=5), Targets()) == 5


@pytest.mark.parametrize("value", ["0.5", "601", "soon"])
def test_a_time_limit_out_of_range_is_an_input_error_naming_the_key(tmp_path: Path, value: str) -> None:
    folder = write_service(tmp_path / "svc", "https://example.jp/", f"  page_timeout: {value}\n")
    with pytest.raises(InputError) as caught:
        load_manifest(folder / "digital-service.yaml", folder)
    assert "service.page_timeout" in caught.value.message.en


@pytest.mark.browser
def test_check_waits_as_long_as_the_manifest_says_unless_the_flag_says_otherwise(
        fixture_server: FixtureServer, tmp_path: Path) -> None:
    hung = fixture_server.add("/timeout-setting/hang.html", hang=True)
    folder = write_service(tmp_path / "svc", hung, "  page_timeout: 2\n")

    def limit_reported(*flags: str) -> str:
        out = tmp_path / "report.json"
        result = CliRunner().invoke(main, ["check", str(folder), "--format", "json", "--output", str(out), "-q",
                                           "--lang", "en", "--workers", "1", *flags])
        assert "Traceback" not in result.output, result.output
        report = json.loads(out.read_text(encoding="utf-8"))
        (finding,) = [f for f in report["findings"] if f["check_id"] == "UX-P10"]
        assert finding["status"] == "error"  # a page that did not answer in time is not the service's failure
        return finding["message"]["en"]

    assert "within 2 s" in limit_reported()
    assert "within 3 s" in limit_reported("--timeout", "3")
