"""Checks cite what their sources say (issue #11): the code of conduct's sections as the source spells them, the
Digital Agency's rules, RFC 9116, JIS Q 17050; and SEC-011 honours the reason the remediation asks for."""

from __future__ import annotations

import re
from pathlib import Path

from guideline_lint.catalog import principles
from guideline_lint.engine import evaluate_check
from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.loading import load_bundled_checks, load_manifest
from guideline_lint.manifest import Accessibility
from guideline_lint.model import Status

from helpers import TODAY, service_copy

CHECKS = load_bundled_checks()
CODE_OF_CONDUCT = "行動指針 ver.1.1.0"


def test_code_of_conduct_sections_are_spelt_as_the_source_and_name_the_checks_principle() -> None:
    titles = {number: p.title.ja for number, p in principles().items()}
    for check in CHECKS.values():
        for ref in check.references:
            if ref.document != CODE_OF_CONDUCT or not ref.section:
                continue
            m = re.match(r"#(\d+) ", ref.section)
            assert m, f"{check.id}: '{ref.section}' is not '#N title'"
            number = int(m.group(1))
            title = ref.section[m.end():]
            assert title.startswith(titles[number]), f"{check.id}: '{title}' is not the source's '{titles[number]}'"
            assert number in check.principles, f"{check.id} cites #{number} but serves {check.principles}"


def test_rfc_9116_is_cited_for_security_txt_with_its_required_fields() -> None:
    for check_id in ("SEC-007", "SEC-P09"):
        rfc = [r for r in CHECKS[check_id].references if r.document.startswith("RFC 9116")]
        assert rfc and "Contact" in rfc[0].section and "Expires" in rfc[0].section
    assert any("SECURITY.md" in (r.section or "") for r in CHECKS["SEC-007"].references)


def test_a11y_m05_says_jis_q_17050_is_a_self_declaration() -> None:
    check = CHECKS["A11Y-M05"]
    assert "第三者" not in check.remediation.ja and "third-party" not in check.remediation.en
    assert any(r.document.startswith("JIS Q 17050") for r in check.references)
    assert "自己適合宣言" in check.remediation.ja
    # The manifest schema says the same of its `accessibility.conformance` field.
    described = Accessibility.model_fields["conformance"].description or ""
    assert "self-declaration" in described and "never 適合 without a third-party" not in described


def test_data_rules_cite_what_the_rule_says() -> None:
    l308 = CHECKS["DATA-L3-08-ENCODING"]
    assert "BOM" in l308.references[0].section and "UTF-8" not in l308.references[0].section
    assert "西暦を併記" in CHECKS["DATA-L3-05"].references[0].section
    assert all(r.rule != "L3-05" for r in CHECKS["DATA-L3-05-ISO8601"].references)
    assert "6 桁" in CHECKS["DATA-L3-06"].message.ja and "5 桁" in CHECKS["DATA-L3-06"].message.ja


def _sec011(tmp_path: Path, authentication: dict) -> list:
    folder = service_copy(tmp_path, {"service": {"authentication": authentication}})
    facts, model = load_manifest(folder / "digital-service.yaml", folder)
    return evaluate_check(CHECKS["SEC-011"], Facts(manifest=facts, repo=RepoFacts.collect(folder), today=TODAY,
                                                   phase=model.service.phase.value))


def test_a_justified_own_login_is_not_applicable_with_its_reason_shown(tmp_path: Path) -> None:
    reason = "職員専用の内部ツールで、庁内の統合認証を使うため"
    findings = _sec011(tmp_path / "a", {"required": True, "platforms": ["own"], "reason_own": reason})
    assert [f.status for f in findings] == [Status.NOT_APPLICABLE]
    assert reason in findings[0].reason.ja and "service.authentication.reason_own" in findings[0].reason.en
    unjustified = _sec011(tmp_path / "b", {"required": True, "platforms": ["own"]})
    assert [f.status for f in unjustified] == [Status.FAIL]
    # A national platform passes whatever else is written.
    both = _sec011(tmp_path / "c", {"required": True, "platforms": ["gbizid", "own"], "reason_own": reason})
    assert [f.status for f in both] == [Status.PASS]
