"""The pre-commit hook, run the way users run it: `pre-commit try-repo` against this checkout, with pre-commit
itself on a Python older than the 3.12 guideline-lint needs (3.11 where the machine has one)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import EXAMPLE, ROOT


def older_python() -> str:
    """A Python 3.11 to run pre-commit on, else this one (the hook must work either way)."""
    candidates = [shutil.which("python3.11") or ""]
    if shutil.which("pyenv"):
        versions = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True).stdout.split()
        for version in (v for v in versions if v.startswith("3.11")):
            prefix = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True).stdout.strip()
            candidates.append(f"{prefix}/bin/python3")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return sys.executable


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.jp", *args], cwd=folder, check=True,
                   capture_output=True)


@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_hook_on_a_service(tmp_path: Path) -> None:
    python = older_python()
    tools = tmp_path / "pre-commit-env"
    subprocess.run([python, "-m", "venv", str(tools)], check=True, capture_output=True, timeout=300)
    subprocess.run([str(tools / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "pre-commit"], check=True, capture_output=True, timeout=600)
    service = tmp_path / "service"
    shutil.copytree(EXAMPLE, service)
    git(service, "init", "-q")
    git(service, "add", "-A")
    git(service, "commit", "-qm", "service")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    command = [str(tools / "bin" / "pre-commit"), "try-repo", str(ROOT), "guideline-lint-manifest", "--all-files"]
    clean = subprocess.run(command, cwd=service, env=env, capture_output=True, text=True, timeout=1200)
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    assert "Passed" in clean.stdout
    (service / "docs" / "bcp.md").unlink()  # the BCP named in the manifest is gone: a high failure
    broken = subprocess.run(command, cwd=service, env=env, capture_output=True, text=True, timeout=600)
    assert broken.returncode == 1 and "SEC-004" in broken.stdout, broken.stdout[-3000:]


def test_the_hook_is_a_script_that_finds_its_own_python() -> None:
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "language: script" in hook and "entry: scripts/pre-commit-hook.sh check --no-pages" in hook
    script = ROOT / "scripts" / "pre-commit-hook.sh"
    assert os.access(script, os.X_OK)
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
