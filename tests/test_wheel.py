"""The built wheel carries checks and rulesets and works outside the source tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
from pathlib import Path

import pytest

from helpers import EXAMPLE, ROOT, validate_report


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_checks_the_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("guideline_lint-*.whl"))
    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(fresh)
    python = fresh / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # Dependencies come from this environment without the network: a .pth file adds its site-packages
    # after the fresh one (its own .pth files, such as our editable install, are not processed).
    deps = sysconfig.get_paths()["purelib"]
    fresh_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                check=True, capture_output=True, text=True).stdout.strip()
    Path(fresh_site, "zz-test-deps.pth").write_text(deps + "\n", encoding="utf-8")

    service = tmp_path / "elsewhere" / "service"
    shutil.copytree(EXAMPLE, service)
    result = subprocess.run([str(fresh / "bin" / "guideline-lint"), "check", str(service), "--no-pages",
                             "--format", "json"], capture_output=True, text=True, cwd=tmp_path / "elsewhere",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    validate_report(report)
    assert all(p["score"] is not None for p in report["principles"])
    where = subprocess.run([str(python), "-c", "import guideline_lint.catalog as c; print(c.data_root())"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.strip()
    assert where.startswith(str(fresh)) and where.endswith("_data")
    module = subprocess.run([str(python), "-m", "guideline_lint", "rules", "list", "--target", "manifest"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert module.returncode == 0 and "SEC-003" in module.stdout


@pytest.mark.slow
def test_sdist_holds_every_tracked_file_and_its_tests_run_from_it(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    archive = next(dist.glob("guideline_lint-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
        members = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True)
    missing = sorted(set(tracked.stdout.split()) - members)
    assert not missing, f"the sdist leaves out {missing[:10]}"
    # The tests that read the repository's own files (docs, action, hooks, workflows) pass from the sdist.
    source = next((tmp_path / "unpacked").iterdir())
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    tests = ["tests/report/test_ci_files.py", "tests/test_catalogue.py", "tests/test_architecture.py"]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=source,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
