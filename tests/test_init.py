"""`guideline-lint init` (#12 item 1, #13 item 6): a skeleton that validates, with a valid id from any folder name
and the phase asked for, and with no value that passes a check before someone fills it in."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from guideline_lint.cli import main
from guideline_lint.errors import InputError
from guideline_lint.init import ID_PATTERN, derive_service_id, write_skeleton
from guideline_lint.loading import load_bundled_checks, load_manifest
from guideline_lint.manifest import Authentication, Kpi, Manifest, OpenData, Quality, Service


def test_schema_and_init_agree_on_the_id_pattern() -> None:
    assert Service.model_fields["id"].metadata[0].pattern == ID_PATTERN.pattern


@pytest.mark.parametrize("name", ["東京都申請", "申請サービス", "ab", "a", "---", "x" * 100, "My Service 2",
                                  "permit_app", "東京-permit", "🙂", " spaced name "])
def test_any_folder_name_gives_an_id_the_schema_accepts(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    written = Path(write_skeleton(folder))
    _, model = load_manifest(written, folder)
    assert re.fullmatch(ID_PATTERN, model.service.id)
    assert model.service.id == derive_service_id(name)  # stable: the same folder gives the same id


def test_a_japanese_name_is_not_romanised_but_hashed() -> None:
    assert re.fullmatch(r"service-[0-9a-f]{8}", derive_service_id("東京都申請"))
    assert derive_service_id("東京都申請") != derive_service_id("東京都届出")
    assert derive_service_id("My Service 2") == "my-service-2"


def test_phase_and_id_flags(tmp_path: Path) -> None:
    written = Path(write_skeleton(tmp_path, phase="operation", service_id="tokyo-permit"))
    _, model = load_manifest(written, tmp_path)
    assert (model.service.id, model.service.phase.value) == ("tokyo-permit", "operation")


def test_default_phase_is_not_planning(tmp_path: Path) -> None:
    _, model = load_manifest(Path(write_skeleton(tmp_path)), tmp_path)
    assert model.service.phase.value == "development"


def test_asked_only_through_the_given_prompt(tmp_path: Path) -> None:
    asked: list[str] = []

    def ask(question: str, default: str) -> str:
        asked.append(question)
        return "operation" if "phase" in question else "my-id"

    _, model = load_manifest(Path(write_skeleton(tmp_path, ask=ask)), tmp_path)
    assert len(asked) == 2 and (model.service.id, model.service.phase.value) == ("my-id", "operation")


@pytest.mark.parametrize(("options", "text"), [({"service_id": "東京"}, "not valid"),
                                                ({"service_id": "A"}, "not valid"),
                                                ({"phase": "live"}, "unknown phase")])
def test_bad_flags_are_input_errors(tmp_path: Path, options: dict[str, str], text: str) -> None:
    with pytest.raises(InputError) as caught:
        write_skeleton(tmp_path, **options)
    assert text in caught.value.message.en and caught.value.message.ja
    assert not (tmp_path / "digital-service.yaml").exists()


def test_never_overwrites(tmp_path: Path) -> None:
    write_skeleton(tmp_path)
    with pytest.raises(InputError):
        write_skeleton(tmp_path)


# What a fresh skeleton must not pass: each names something the team has to fill in.
MUST_FAIL = {"UX-M13",   # support_channels: was pre-filled with [電話]
             "TPL-001",  # 〇〇サービス / 〇〇局
             "VIS-003",  # no README
             "SEC-001", "SEC-002", "SEC-003", "A11Y-M01", "A11Y-M02", "OSS-001", "UX-M01", "UX-M02"}
# Checks that may pass on an empty repository because they look for something harmful that is not there.
ABSENCE_CHECKS = {"SEC-008", "SEC-012"}


def test_check_on_a_fresh_skeleton_fails_what_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "東京都申請"
    folder.mkdir()
    subprocess.run(["git", "init", "-q", str(folder)], check=True)  # a new service's repository
    write_skeleton(folder)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["check", str(folder), "--no-pages", "--format", "json",
                                       "--output", str(report), "--lang", "en"])
    assert result.exit_code == 1, result.output
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    status = {f["check_id"]: f["status"] for f in findings}
    assert {cid for cid, s in status.items() if s == "fail"} >= MUST_FAIL, \
        sorted(MUST_FAIL - {cid for cid, s in status.items() if s == "fail"})
    assert {cid for cid, s in status.items() if s == "pass"} <= ABSENCE_CHECKS
    assert not [cid for cid, s in status.items() if s == "error"]
    data_checks = [f for f in findings if f["target"] == "manifest" and f["check_id"].startswith("DATA-M")]
    assert any(f["status"] != "not_applicable" for f in data_checks)  # the default phase is not planning


def _fields(model: type) -> set[str]:
    return set(model.model_fields)


def test_the_skeleton_names_the_optional_fields_a_service_may_need_as_they_are_in_the_schema(tmp_path: Path) -> None:
    """Own login with its reason (SEC-011), own KPIs, quality indicators, the encoding of open data and the
    attested practices: mentioned in comments only, with the names the manifest schema has."""
    text = Path(write_skeleton(tmp_path)).read_text(encoding="utf-8")
    comments = "\n".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    assert "reason_own" in comments and "reason_own" in _fields(Authentication)
    assert "encoding: UTF-8" in comments and "encoding" in _fields(OpenData)
    assert {"title", "principles", "type", "better", "unit"} <= _fields(Kpi)
    assert all(f"{name}:" in comments for name in ("title", "principles", "type", "better"))
    assert "quality:" in comments and "quality" in _fields(Manifest)
    assert all(name in comments for name in _fields(Quality)), sorted(n for n in _fields(Quality) if n not in comments)
    attested = {spec["checklist"] for check in load_bundled_checks().values() if check.id.startswith("ATT-")
                for spec in [check.assert_] if spec.get("kind") == "attestation" and spec.get("checklist")}
    assert len(attested) >= 16 and not {name for name in attested if name not in comments}, \
        sorted(name for name in attested if name not in comments)
    # None of it is a value: the manifest as written holds no KPI, no quality section, no checklist answer.
    _, model = load_manifest(tmp_path / "digital-service.yaml", tmp_path)
    assert (model.kpis, model.checklists, model.data.open_data) == ([], {}, [])
    assert model.quality.model_dump(exclude_none=True) == {} and model.service.authentication is None
