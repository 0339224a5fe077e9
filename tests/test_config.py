"""The configuration file: found upward from the working directory, overridden by flags, checked like input."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main

from helpers import EXAMPLE


@pytest.fixture
def in_folder(tmp_path: Path) -> Iterator[Path]:
    """A working directory two levels below the folder that holds the configuration."""
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    before = Path.cwd()
    os.chdir(inner)
    yield tmp_path
    os.chdir(before)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_yaml_settings_apply_from_a_parent_folder_and_flags_override_them(in_folder: Path) -> None:
    (in_folder / ".guideline-lint.yaml").write_text("format: json\nlang: en\ncheck:\n  no-pages: true\n", "utf-8")
    code, output = run("check", str(EXAMPLE))
    assert code == 0
    report = json.loads(output)
    assert all(s["reason"]["en"].endswith("(--no-pages)") for s in report["skipped"])
    code, output = run("check", str(EXAMPLE), "--format", "text", "--lang", "ja")
    assert code == 0 and output.startswith("guideline-lint") and "総合スコア" in output


def test_pyproject_table_and_paths_relative_to_its_folder(in_folder: Path) -> None:
    (in_folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.guideline-lint]\nformat = ["json"]\noutput-dir = "reports"\n'
        '[tool.guideline-lint.check]\nno-pages = true\n', "utf-8")
    code, _ = run("check", str(EXAMPLE), "--quiet")
    assert code == 0
    assert json.loads((in_folder / "reports" / "guideline-lint.json").read_text("utf-8"))["score"] == 100.0


def test_a_yaml_file_wins_over_pyproject_in_the_same_folder(in_folder: Path) -> None:
    (in_folder / "pyproject.toml").write_text('[tool.guideline-lint]\nlang = "ja"\n', "utf-8")
    (in_folder / ".guideline-lint.yaml").write_text("lang: en\n", "utf-8")
    code, output = run("config")
    assert code == 0 and ".guideline-lint.yaml" in output.splitlines()[0]
    assert "lang = 'en'" in output


def test_unknown_or_mistyped_settings_exit_2_naming_file_line_and_a_guess(in_folder: Path) -> None:
    config = in_folder / ".guideline-lint.yaml"
    config.write_text("lang: en\nformats: [json]\n", "utf-8")
    code, output = run("check", str(EXAMPLE), "--no-pages")
    assert code == 2 and f"{config}:2:1" in output and "format" in output
    config.write_text("check:\n  workers: many\n", "utf-8")
    code, output = run("check", str(EXAMPLE), "--no-pages")
    assert code == 2 and f"{config}:2:" in output and "workers" in output
    config.write_text("- just\n- a list\n", "utf-8")
    assert run("config")[0] == 2


def test_config_shows_each_setting_and_where_it_comes_from(in_folder: Path) -> None:
    (in_folder / ".guideline-lint.yaml").write_text("audit:\n  max-pages: 20\n", "utf-8")
    code, output = run("config")
    assert code == 0
    audit = output.split("[audit]")[1]
    assert f"max-pages = 20    # {in_folder / '.guideline-lint.yaml'}" in audit
    assert "level = 'AA'    # default" in audit
    assert "max-pages" not in output.split("[audit]")[0]  # a check run is not given audit's settings


def test_no_configuration_file_is_said(in_folder: Path) -> None:
    code, output = run("config")
    assert code == 0 and "(none found from this folder upward)" in output


@pytest.mark.parametrize("text", [
    'tool = { guideline-lint = { format = "json" } }\n',
    '[tool]\n"guideline-lint" = { format = "json" }\n',
    'tool.guideline-lint.format = "json"\n',
    "[tool.'guideline-lint']\nformat = 'json'\n",
])
def test_every_toml_spelling_of_the_table_is_read(in_folder: Path, text: str) -> None:
    (in_folder / "pyproject.toml").write_text(text, "utf-8")
    code, output = run("check", str(EXAMPLE), "--no-pages")
    assert code == 0 and json.loads(output)["score"] == 100.0


def test_a_pyproject_that_only_names_the_tool_is_not_a_configuration(in_folder: Path) -> None:
    # Not parsed at all (a broken table elsewhere in the file is another project's business).
    (in_folder / "pyproject.toml").write_text(
        '[project]\nname = "permit"\ndependencies = ["guideline-lint>=0.1"]\n[tool.other]\nx = = 1\n', "utf-8")
    code, output = run("config")
    assert code == 0 and "pyproject.toml" not in output.splitlines()[0]


def test_a_pyproject_naming_the_tool_as_a_script_is_not_a_configuration(in_folder: Path) -> None:
    # As in this project's own pyproject.toml: `guideline-lint = …` under [project.scripts] opens no table of ours
    # (the file is not parsed: a broken table elsewhere is not reported).
    (in_folder / "pyproject.toml").write_text(
        '[project]\nname = "permit"  # "#1"\n\n[project.scripts]\nguideline-lint = "x:y"\n[tool.other]\nx = = 1\n',
        "utf-8")
    code, output = run("config")
    assert code == 0 and "pyproject.toml" not in output.splitlines()[0]


@pytest.mark.parametrize("text", [
    # The element `[1]` of a multi-line array looks like a table header: the key after the array is still in [tool].
    '[tool]\nx = [\n  [1]\n]\nguideline-lint = { format = "json" }\n',
    '[tool]\nx = [\n  # first\n  [1],\n  [2]\n]\n"guideline-lint" = { format = "json" }\n',
    # A multi-line string may hold what looks like a header.
    '[tool]\nx = """\n[other]\n"""\nguideline-lint = { format = "json" }\n',
])
def test_a_table_after_what_only_looks_like_a_header_is_read(in_folder: Path, text: str) -> None:
    (in_folder / "pyproject.toml").write_text(text, "utf-8")
    code, output = run("check", str(EXAMPLE), "--no-pages")
    assert code == 0 and json.loads(output)["score"] == 100.0
