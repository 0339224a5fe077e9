"""Bad input never gives a traceback: exit 2 and one message naming file:line:column and what to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main

from helpers import service_copy

MANIFEST = "digital-service.yaml"


def check(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(folder), "--no-pages", "--lang", "en", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(tmp_path: Path, content: bytes | str) -> Path:
    folder = tmp_path / "svc"
    folder.mkdir()
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / MANIFEST).write_bytes(data)
    return folder


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    folder = write(tmp_path, "schema_version: 1\nservice:\n  id: x\n  name: {ja: 例\n  bureau: 局\n")
    code, out = check(folder)
    assert code == 2
    assert f"{MANIFEST}:5:" in out and "YAML syntax error" in out


def test_wrong_type_names_the_key_and_its_line(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"security": {"incident_first_report_hours": "three"}})
    code, out = check(folder)
    assert code == 2
    line = next(i for i, text in enumerate((folder / MANIFEST).read_text().splitlines(), 1)
                if "incident_first_report_hours" in text)
    assert f"{MANIFEST}:{line}:" in out and "security.incident_first_report_hours" in out


def test_empty_file(tmp_path: Path) -> None:
    code, out = check(write(tmp_path, ""))
    assert code == 2 and f"{MANIFEST}:1:1: the file is empty" in out


def test_document_that_is_not_a_mapping(tmp_path: Path) -> None:
    code, out = check(write(tmp_path, "- just\n- a list\n"))
    assert code == 2 and "must be a YAML mapping" in out


def test_misspelt_key_gets_a_suggestion(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"securty": {"bcp": "docs/bcp.md"}})
    code, out = check(folder)
    assert code == 2 and "unknown key 'securty'" in out and "did you mean 'security'" in out


def test_misspelt_nested_key_gets_a_suggestion(tmp_path: Path) -> None:
    folder = service_copy(tmp_path, {"security": {"csirt_contakt": "a@b.jp"}})
    code, out = check(folder)
    assert code == 2 and "did you mean 'csirt_contact'" in out


def test_unknown_kpi_id_gets_a_suggestion_not_an_error(tmp_path: Path) -> None:
    # An id outside the catalogue is the service's own KPI (issue #11): a near miss is warned about, never exit 2.
    folder = service_copy(tmp_path, {"kpis": [{"id": "online_usage", "value": 1, "target": 2}]})
    code, out = check(folder)
    assert code in (0, 1) and "'online_usage' is not in the catalogue" in out and "'online_usage_rate'" in out
    line = next(i for i, text in enumerate((folder / MANIFEST).read_text().splitlines(), 1) if "online_usage" in text)
    assert f"{MANIFEST}:{line}:" in out


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prev] * 9)}]")
    folder = write(tmp_path, "\n".join(lines) + "\n")
    # Run in a child with a memory cap: an expanding loader would be killed instead of answering.
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "from guideline_lint.cli import main;"
        "sys.argv=['guideline-lint','check',sys.argv[1],'--no-pages','--lang','en'];"
        "main()"
    )
    result = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, timeout=20)
    assert result.returncode == 2, result.stderr
    assert "aliases" in result.stderr and "refused" in result.stderr and "Traceback" not in result.stderr


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    code, out = check(write(tmp_path, "a: &a [*a]\n"))
    assert code == 2 and "Traceback" not in out


def test_oversized_file(tmp_path: Path) -> None:
    code, out = check(write(tmp_path, "# padding\n" * 200_000))
    assert code == 2 and "file is too large" in out


def test_shift_jis_manifest_is_named(tmp_path: Path) -> None:
    text = "schema_version: 1\nservice:\n  id: sjis-service\n  name: {ja: 申請サービス}\n"
    code, out = check(write(tmp_path, text.encode("cp932")))
    assert code == 2 and "Shift_JIS (CP932)" in out and "save it as UTF-8" in out and f"{MANIFEST}:4:" in out


def test_binary_file(tmp_path: Path) -> None:
    code, out = check(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert code == 2 and "binary file" in out


def test_manifest_path_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "svc" / MANIFEST).mkdir(parents=True)
    code, out = check(tmp_path / "svc")
    assert code == 2 and "is a folder" in out


def test_missing_manifest_points_to_init(tmp_path: Path) -> None:
    code, out = check(tmp_path)
    assert code == 2 and "guideline-lint init" in out


def test_unreadable_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / MANIFEST).symlink_to(folder / "nowhere.yaml")  # dangling: cannot be read, even as root
    code, out = check(folder)
    assert code == 2 and "not found" in out


def test_unknown_ruleset_gets_a_suggestion(tmp_path: Path) -> None:
    code, out = check(service_copy(tmp_path), "--ruleset", "tokyo-code-of-conduct-1.0.0")
    assert code == 2 and "unknown ruleset" in out and "tokyo-code-of-conduct-1.1.0" in out


def test_bad_ruleset_file_names_its_line(tmp_path: Path) -> None:
    ruleset = tmp_path / "mine.yaml"
    ruleset.write_text("id: mine\nversion: '1'\ntitle: {ja: 私の, en: mine}\nextends: tokyo-code-of-conduct-1.1.0\n"
                       "thresholds: {5: high}\n", encoding="utf-8")
    code, out = check(service_copy(tmp_path), "--ruleset", str(ruleset))
    assert code == 2 and "mine.yaml:5:" in out and "thresholds" in out


def test_invalid_baseline_report(tmp_path: Path) -> None:
    baseline = tmp_path / "old.json"
    baseline.write_text("{not json", encoding="utf-8")
    code, out = check(service_copy(tmp_path), "--baseline", str(baseline))
    assert code == 2 and "old.json:1:2: not valid JSON" in out


@pytest.mark.parametrize("value", ["[1, 2", "{{{", "\t- tab"])
def test_garbage_never_tracebacks(tmp_path: Path, value: str) -> None:
    code, _ = check(write(tmp_path, value))
    assert code == 2
