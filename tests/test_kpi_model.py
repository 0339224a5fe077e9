"""The KPI model against the code of conduct itself: the logic model (lines 229–243) is parsed from the source text,
not from a copy, and compared with the catalogue (rulesets/kpis.yaml, rulesets/principles.yaml)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint import catalog
from guideline_lint.catalog import indicators, kpi_definitions, kpi_values, kpis, principles
from guideline_lint.cli import main
from guideline_lint.loading import load_manifest

from helpers import EXAMPLE, SHARED, validate_report

SOURCE_NAME = "code-of-conduct-1.1.0-version-up-paper.txt"


def source_path() -> Path | None:
    """The code of conduct's text in the team's shared folder, if it is there."""
    candidate = SHARED / "reference" / SOURCE_NAME
    return candidate if candidate.is_file() else None


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    path = source_path()
    if path is None:
        pytest.skip(f"{SOURCE_NAME} is not in a shared/reference folder above the checkout")
    return path.read_text(encoding="utf-8").splitlines()


def _items(cell: str) -> list[str]:
    """The items of a logic-model cell: <ul …> a b c … </ul>, items separated by spaces or a full-width slash."""
    text = re.sub(r"<[^>]+>", " ", cell).strip()
    return [item for item in re.split(r"[\s／]+", text) if item and item not in {"-", "—"}]


def logic_model(lines: list[str]) -> dict[int, dict[str, object]]:
    """Principle -> viewpoints, outputs, outcomes and the line, read from the table rows of the source."""
    rows: dict[int, dict[str, object]] = {}
    for number, line in enumerate(lines[228:243], start=229):
        match = re.match(r"#(\d+) ", line)
        if not match or "\t" not in line:
            continue
        cells = line.split("\t")
        rows[int(match.group(1))] = {"line": number, "viewpoints": _items(cells[1]), "outputs": _items(cells[3]),
                                     "outcomes": _items(cells[4])}
    return rows


def test_the_logic_model_is_where_the_catalogue_says(source_lines: list[str]) -> None:
    rows = logic_model(source_lines)
    assert sorted(rows) == list(range(1, 11)), "the logic-model rows moved: update the line numbers"
    assert sum(len(r["outputs"]) + len(r["outcomes"]) for r in rows.values()) == 35  # type: ignore[arg-type]


def test_every_kpi_pair_of_the_logic_model_is_in_the_catalogue_with_its_type(source_lines: list[str]) -> None:
    expected = {(principle, title, kind) for principle, row in logic_model(source_lines).items()
                for kind, column in (("output", "outputs"), ("outcome", "outcomes"))
                for title in row[column]}  # type: ignore[attr-defined]
    actual = {(principle, kpi.title.ja, kpi.type) for kpi in kpis().values() for principle in kpi.principles}
    assert len(expected) == 35
    assert actual == expected, (f"missing: {sorted(expected - actual)}; not in the source: {sorted(actual - expected)}")


def test_kpi_lines_point_at_the_source(source_lines: list[str]) -> None:
    for kpi in kpis().values():
        assert kpi.lines, kpi.id
        first = source_lines[kpi.lines[0] - 1]
        assert kpi.title.ja in first.replace("／", " "), (kpi.id, kpi.lines[0])
        assert kpi.title.en and kpi.title.en != kpi.title.ja
        assert kpi.better in {"higher", "lower"} and kpi.unit


def test_viewpoints_titles_and_first_steps_are_the_sources_words(source_lines: list[str]) -> None:
    rows = logic_model(source_lines)
    for number, info in principles().items():
        assert [v.ja for v in info.viewpoints] == rows[number]["viewpoints"], number
        assert info.lines["viewpoints"] == rows[number]["line"]
        assert source_lines[info.lines["title"] - 1].strip() == f"| #{number} | {info.title.ja} |"
        first_step_row = source_lines[info.lines["first_step"] - 1].split("\t")
        assert first_step_row[:3] == [f"#{number}", info.title.ja, info.first_step.ja]
        assert all(v.en for v in info.viewpoints)
    assert principles()[8].title.ja == "都民と共に創しよう"


def test_quality_indicators_are_the_sources(source_lines: list[str]) -> None:
    found = indicators()
    assert len(found) == 9
    assert [i.id for i in found.values() if i.scope == "organisation"] == [
        "code_of_conduct_awareness", "staff_satisfaction", "digital_talent_development"]
    for info in found.values():
        assert source_lines[info.lines[0] - 1].replace("[KGI]", "").strip().startswith(info.title.ja), info.id
        cited = "\n".join(source_lines[n - 1] for n in info.lines)
        assert info.method.ja in cited and info.definition.ja in cited, info.id
    assert found["code_of_conduct_awareness"].target == 0.7
    assert found["digital_participation"].kpi in kpis()


def test_kpi_ids_of_the_example_keep_working() -> None:
    _, model = load_manifest(EXAMPLE / "digital-service.yaml", EXAMPLE)
    assert model.kpis and all(k.id in kpis() for k in model.kpis)


# --------------------------------------------------------------------------- a service's own KPIs


def _own_kpi_manifest(tmp_path: Path, kpi_yaml: str) -> Path:
    repo = tmp_path / "svc"
    shutil.copytree(EXAMPLE, repo)
    path = repo / "digital-service.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kpis:\n", "kpis:\n" + kpi_yaml, 1), encoding="utf-8")
    return repo


OWN = ("  - {id: permit_days, title: {ja: 許可までの日数, en: Days to a permit}, principles: [2, 9], type: outcome,\n"
       "     unit: days, better: lower, value: 12, target: 10, measured_at: 2026-09-30}\n")


def test_own_kpi_counts_for_its_principles_and_appears_in_the_report(tmp_path: Path) -> None:
    repo = _own_kpi_manifest(tmp_path, OWN)
    facts, _ = load_manifest(repo / "digital-service.yaml", repo)
    definitions = kpi_definitions(facts.data)
    assert definitions["permit_days"].own and definitions["permit_days"].principles == (2, 9)
    assert "permit_days" not in kpis()
    values = {v.id: v for v in kpi_values(facts.data)}
    own = values["permit_days"]
    assert own.own and own.principles == [2, 9] and own.type == "outcome" and own.met is False
    assert own.title is not None and own.title.en == "Days to a permit" and own.note is None
    assert values["nps"].title is not None and values["nps"].title.ja == "NPS（ネットプロモータースコア）による評価"


def test_own_kpi_is_checked_not_refused(tmp_path: Path) -> None:
    repo = _own_kpi_manifest(tmp_path, OWN)
    result = CliRunner().invoke(main, ["check", str(repo), "--no-pages", "--format", "json",
                                       "--output", str(tmp_path / "r.json")])
    assert result.exit_code in (0, 1), result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    validate_report(report)
    own = next(k for k in report["kpis"] if k["id"] == "permit_days")
    assert own["own"] and own["principles"] == [2, 9]


def test_near_miss_of_a_catalogue_id_warns_and_does_not_stop(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    repo = _own_kpi_manifest(tmp_path, "  - {id: user_test, value: 2, target: 2, measured_at: 2026-09-30}\n")
    facts, _ = load_manifest(repo / "digital-service.yaml", repo)
    err = capsys.readouterr().err
    assert "user_tests" in err and "警告" in err and "did you mean" in err.lower()
    value = next(v for v in kpi_values(facts.data) if v.id == "user_test")
    assert value.principles == [] and value.note is not None and "user_tests" in value.note.ja


def test_a_catalogue_kpi_cannot_be_redefined(tmp_path: Path) -> None:
    from guideline_lint.errors import InputError

    repo = _own_kpi_manifest(tmp_path, "  - {id: training_rate, principles: [10], value: 0.5}\n")
    with pytest.raises(InputError) as error:
        load_manifest(repo / "digital-service.yaml", repo)
    assert "training_rate" in error.value.message.en


def test_quality_indicators_reported_by_the_manifest(tmp_path: Path) -> None:
    repo = _own_kpi_manifest(tmp_path, "")
    path = repo / "digital-service.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "\nquality:\n"
        "  resident_satisfaction: {value: 0.71, target: 0.8, measured_at: 2026-09-30, method: アンケート調査}\n"
        "  service_update: {value: 30, unit: days, measured_at: 2026-09-30}\n"), encoding="utf-8")
    facts, _ = load_manifest(path, repo)
    values = {v.id: v for v in kpi_values(facts.data) if v.indicator}
    assert set(values) == {"resident_satisfaction", "service_update"}
    assert values["resident_satisfaction"].type == "kgi" and values["resident_satisfaction"].met is False
    assert catalog.indicators()["service_update"].better == "lower"
