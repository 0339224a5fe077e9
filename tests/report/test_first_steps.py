"""The source's はじめの一歩 and 目標設定の視点 of a principle under its threshold, in every format that shows first
steps (text, Markdown, HTML) and carried by the JSON report (issue #11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guideline_lint.catalog import principles
from guideline_lint.model import PrincipleScore, Report
from guideline_lint.report import html, markdown, text

INFO = principles()


def _report(carried: bool) -> Report:
    weak = PrincipleScore(id=3, title=INFO[3].title, score=20.0, coverage=1.0, incomplete=False, threshold=60.0,
                          below_threshold=True,
                          **({"first_step": INFO[3].first_step, "viewpoints": list(INFO[3].viewpoints)}
                             if carried else {}))
    fine = PrincipleScore(id=1, title=INFO[1].title, score=90.0, coverage=1.0, incomplete=False, threshold=60.0)
    return Report(tool={"name": "guideline-lint", "version": "0"}, ruleset={"id": "r", "version": "1"},
                  service={"id": "svc"}, generated_at="", score=55.0, principles=[fine, weak], findings=[])


@pytest.mark.parametrize("carried", [True, False], ids=["carried", "older-report"])
@pytest.mark.parametrize("module", [text, markdown, html], ids=["text", "markdown", "html"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_first_steps_come_with_the_goal_setting_viewpoints(module: object, lang: str, carried: bool) -> None:
    out = module.render(_report(carried), lang)  # type: ignore[attr-defined]
    assert INFO[3].first_step.get(lang) in out
    for viewpoint in INFO[3].viewpoints:
        assert viewpoint.get(lang) in out
    assert ("目標設定の視点" in out) and INFO[1].first_step.get(lang) not in out  # only principles under the bar


def test_the_json_report_carries_first_steps_and_viewpoints(tmp_path: Path) -> None:
    env = {**os.environ, "LANG": "C.UTF-8"}
    subprocess.run([sys.executable, "-m", "guideline_lint", "init", "--id", "demo-svc", str(tmp_path)],
                   capture_output=True, text=True, timeout=120, env=env, check=True)
    result = subprocess.run([sys.executable, "-m", "guideline_lint", "check", str(tmp_path), "--no-pages",
                             "--format", "json"], capture_output=True, text=True, timeout=120, env=env, check=False)
    report = json.loads(result.stdout)
    for principle in report["principles"]:
        info = INFO[principle["id"]]
        assert principle["first_step"] == info.first_step.model_dump()
        assert principle["viewpoints"] == [v.model_dump() for v in info.viewpoints]
