"""The CI integration files: the composite action's main steps really run, the hook and the examples hold."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import sarif_validator
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-service"
BIN = Path(sys.executable).parent  # the venv's guideline-lint and python
GITHUB_CONTEXT = {"github.server_url": "https://github.com", "github.repository": "tokyo/permit",
                  "github.run_id": "42"}
STEP_OUTPUTS = {"steps.names.outputs.category": "guideline-lint/service"}


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def action() -> dict[str, Any]:
    return load(ROOT / "action.yml")


def step(name: str) -> dict[str, Any]:
    return next(s for s in action()["runs"]["steps"] if s.get("id") == name or s["name"] == name)


def run_step(name: str, inputs: dict[str, str], workdir: Path, extra_env: dict[str, str] | None = None
             ) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one bash step of the action as the runner would: its env with inputs filled in, GITHUB_OUTPUT."""
    declared = action()["inputs"]
    values = {k: str(v.get("default", "")) for k, v in declared.items()} | inputs
    spec = step(name)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "LANG": "C.UTF-8"}
    env.pop("GUIDELINE_LINT_LANG", None)
    for key, value in (spec.get("env") or {}).items():
        def fill(match: re.Match[str]) -> str:
            expression = match.group(1).strip()
            if expression.startswith("inputs."):
                return values[expression.removeprefix("inputs.")]
            if expression.startswith("steps."):
                return STEP_OUTPUTS[expression]
            return GITHUB_CONTEXT[expression]
        env[key] = re.sub(r"\$\{\{(.*?)\}\}", fill, str(value))
    env.update(extra_env or {})
    outputs = workdir / "github-output"
    outputs.write_text("")
    env["GITHUB_OUTPUT"] = str(outputs)
    script = spec["run"]
    assert "${{" not in script, "inputs reach the shell through env, never pasted into the script"
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=workdir, env=env, capture_output=True,
                            text=True, timeout=180, check=False)
    pairs = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return result, pairs


@pytest.fixture
def broken_service(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    shutil.copytree(SAMPLE, root)
    (root / "docs" / "bcp.md").unlink()
    return root


def test_every_input_and_output_reference_is_declared() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    declared = set(action()["inputs"])
    assert {"path", "ruleset", "fail-under", "formats", "tracker-url", "tracker-token", "lang",
            "python-version"} <= declared
    assert set(re.findall(r"inputs\.([a-z-]+)", text)) <= declared
    check_script = step("check")["run"]
    for name in re.findall(r"steps\.check\.outputs\.([a-z-]+)", text):
        assert f"{name}=" in check_script or name in ("sarif", "md", "json"), name
    uses = [s.get("uses", "") for s in action()["runs"]["steps"]]
    assert "actions/setup-python@v5" in uses and "github/codeql-action/upload-sarif@v4" in uses


def test_shell_steps_are_valid_bash() -> None:
    for spec in action()["runs"]["steps"]:
        if "run" in spec:
            script = re.sub(r"\$\{\{.*?\}\}", "x", spec["run"])
            result = subprocess.run(["bash", "-n", "-c", script], capture_output=True, text=True, check=False)
            assert result.returncode == 0, (spec["name"], result.stderr)


def test_the_check_step_writes_reports_and_outputs(broken_service: Path, tmp_path: Path) -> None:
    result, outputs = run_step("check", {"path": str(broken_service), "pages": "false", "formats": "html, junit"},
                               tmp_path)
    assert result.returncode == 0, result.stderr  # the step itself never fails; the last step does
    assert outputs["exit-code"] == "1"  # the BCP is missing: a high failure
    folder = tmp_path / outputs["report-dir"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "guideline-lint.html", "guideline-lint.json", "guideline-lint.md", "guideline-lint.sarif", "guideline-lint.xml"]
    assert float(outputs["score"]) < 100
    log = json.loads((tmp_path / outputs["sarif"]).read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(log))
    assert "SEC-004" in {r["ruleId"] for r in log["runs"][0]["results"]}
    summary = (tmp_path / outputs["md"]).read_text(encoding="utf-8")
    # GUIDELINE_LINT_REPORT_URL comes from the step's env: the run page, where the artifact is.
    assert "(https://github.com/tokyo/permit/actions/runs/42)" in summary
    assert "**SEC-004**" in summary


def test_invalid_input_gives_exit_code_2_and_no_files(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "digital-service.yaml").write_text("schema_version: [\n", encoding="utf-8")
    _, outputs = run_step("check", {"path": str(tmp_path / "svc"), "pages": "false"}, tmp_path)
    assert outputs["exit-code"] == "2"
    assert "sarif" not in outputs and "json" not in outputs


@pytest.mark.parametrize(("code", "fail_on_gate", "expected"),
                         [("0", "true", 0), ("1", "true", 1), ("1", "false", 0), ("2", "false", 2), ("3", "true", 3),
                          ("", "true", 3)])
def test_the_last_step_returns_the_exit_code(tmp_path: Path, code: str, fail_on_gate: str, expected: int) -> None:
    spec = step("Return guideline-lint's exit code")
    env = {**os.environ, "CODE": code, "FAIL_ON_GATE": fail_on_gate}
    result = subprocess.run(["bash", "-c", spec["run"]], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == expected


def test_gitlab_example_keeps_the_junit_file_the_tool_writes() -> None:
    job = load(ROOT / "docs" / "gitlab-ci.example.yml")["guideline-lint"]
    script = " ".join(job["script"])
    assert "--format junit" in script and "--output-dir guideline-lint-report" in script
    assert job["artifacts"]["reports"]["junit"] == "guideline-lint-report/guideline-lint.xml"
    assert "chromium-driver" in " ".join(job["before_script"])


def test_project_ci_runs_the_test_script_on_python_312() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "ci.yml")
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.12"
    assert any(s.get("run") == "bash scripts/test.sh" for s in job["steps"])


@pytest.mark.parametrize(("inputs", "category", "artifact"), [
    ({"path": "."}, "guideline-lint/root", "guideline-lint-report-guideline-lint-root"),
    ({"path": "./services/permit/"}, "guideline-lint/services-permit",
     "guideline-lint-report-guideline-lint-services-permit"),
    ({"path": "x", "sarif-category": "web", "artifact-name": "reports"}, "web", "reports"),
])
def test_each_use_gets_its_own_category_and_artifact(tmp_path: Path, inputs: dict[str, str], category: str,
                                                       artifact: str) -> None:
    result, outputs = run_step("names", inputs, tmp_path)
    assert result.returncode == 0, result.stderr
    assert outputs == {"category": category, "artifact": artifact}


def test_the_check_step_passes_the_category_into_the_sarif(broken_service: Path, tmp_path: Path) -> None:
    result, outputs = run_step("check", {"path": str(broken_service), "pages": "false"}, tmp_path)
    assert result.returncode == 0, result.stderr
    log = json.loads((tmp_path / outputs["sarif"]).read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"]["id"].startswith("guideline-lint/service")


def test_the_repository_runs_the_action_twice_in_one_workflow() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "action.yml")
    uses = [s for job in workflow["jobs"].values() for s in job["steps"] if s.get("uses") == "./"]
    assert len(uses) == 2
    assert uses[0]["with"]["path"] == "examples/sample-service"
    categories = {s["with"].get("sarif-category", s["with"]["path"]) for s in uses}
    assert len(categories) == 2  # two analyses of one commit need two categories (and two artifacts)
    upload = next(s for s in action()["runs"]["steps"] if "upload-sarif" in str(s.get("uses")))
    assert upload["uses"].endswith("@v4") and upload["with"]["category"] == "${{ steps.names.outputs.category }}"
