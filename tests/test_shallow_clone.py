"""SEC-010 in a shallow CI clone (docs/realworld.md §5): a real repository whose Dependabot security updates leave only
their branches, cloned with git as CI (``actions/checkout``, fetch-depth 1) and as a developer (full) clones it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.loading import load_bundled_checks, load_manifest
from guideline_lint.model import Finding, Status

from helpers import EXAMPLE, TODAY

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(folder: Path, *args: str) -> None:
    subprocess.run([GIT or "git", "-c", "user.name=t", "-c", "user.email=t@example.jp", "-c", "init.defaultBranch=main",
                    *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The service's repository on the server: no Dependabot file, a security update's branch beside main."""
    origin = tmp_path_factory.mktemp("origin") / "service"
    shutil.copytree(EXAMPLE, origin)
    (origin / ".github" / "dependabot.yml").unlink()
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "first")
    git(origin, "branch", "dependabot/npm_and_yarn/minimist-1.2.8")
    return origin


def sec_010(clone: Path) -> Finding:
    manifest, model = load_manifest(clone / "digital-service.yaml", clone)
    facts = Facts(manifest=manifest, repo=RepoFacts.collect(clone), today=TODAY, phase=model.service.phase.value)
    (finding,) = evaluate_check(load_bundled_checks()["SEC-010"], facts)
    return finding


def test_a_full_clone_sees_the_bots_branch(upstream: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", f"file://{upstream}", "full")
    assert sec_010(tmp_path / "full").status == Status.PASS  # today's result


def test_a_shallow_clone_could_not_judge_and_says_why(upstream: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{upstream}", "shallow")
    assert (tmp_path / "shallow" / ".git" / "shallow").is_file()
    finding = sec_010(tmp_path / "shallow")
    assert finding.status == Status.ERROR  # not a failure of the service
    assert "浅いクローン" in finding.message.ja and "fetch-depth: 0" in finding.message.ja
    assert "shallow clone" in finding.message.en and "fetch-depth: 0" in finding.message.en
    assert "{" not in finding.message.ja + finding.message.en


def test_a_shallow_clone_with_the_bots_branch_fetched_passes(upstream: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{upstream}", "fetched")
    assert sec_010(tmp_path / "fetched").status == Status.PASS
