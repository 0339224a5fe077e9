"""A realistic report for the renderer tests: every target and status, KPIs, a JIS table and a baseline.

A uniquely named module (not conftest) so tests can import its helpers without clashing with other folders."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from guideline_lint.model import (
    Finding,
    Gate,
    KpiValue,
    Location,
    PrincipleScore,
    Reference,
    Report,
    Skipped,
    Text,
)

SARIF_SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")
PAGE = "http://127.0.0.1:8765/permit/index.html"
FORM = "http://127.0.0.1:8765/permit/apply.html"

TITLES = {
    1: ("顧客視点でデザインしよう", "Design from the customer's point of view"),
    2: ("シンプルなサービスを心がけよう", "Keep services simple"),
    3: ("誰ひとり取り残さないようにしよう", "Leave no one behind"),
    4: ("資源（データ）を最大限に活用しよう", "Make the most of data"),
    5: ("安全安心なデジタル社会をつくろう", "Build a safe and secure digital society"),
    6: ("オール東京一丸となって取り組もう", "All of Tokyo together"),
    7: ("都政の見える化をしよう", "Make government visible"),
    8: ("都民と共に創ろう", "Co-create with residents"),
    9: ("つねに見直し、チャレンジし続けよう", "Review continuously and keep trying"),
    10: ("ともに学びつづけよう", "Keep learning together"),
}


def finding(check_id: str, status: str, **extra: Any) -> Finding:
    """A finding with bilingual text derived from its id, overridable field by field."""
    data: dict[str, Any] = {
        "check_id": check_id,
        "title": Text(ja=f"{check_id} の確認項目", en=f"{check_id} check item"),
        "principles": [1],
        "domain": "governance",
        "target": "manifest",
        "status": status,
        "severity": "medium",
        "verification": "machine",
        "message": Text(ja=f"{check_id} の結果です", en=f"Result of {check_id}"),
        "remediation": Text(ja=f"{check_id} を直してください", en=f"Fix {check_id}"),
        "references": [Reference(document="行動指針 ver.1.1.0")],
    }
    data.update(extra)
    return Finding(**data)


def findings() -> list[Finding]:
    return [
        finding(
            "SEC-004", "fail", principles=[5], domain="security", severity="high",
            title=Text(ja="CSIRT の連絡先が登録されている", en="CSIRT contact is recorded"),
            message=Text(ja="security.csirt_contact が空です", en="security.csirt_contact is empty"),
            remediation=Text(ja="CSIRT の連絡先を記入してください", en="Fill in the CSIRT contact"),
            location=Location(file="digital-service.yaml", line=21, column=3, path="security.csirt_contact"),
        ),
        finding("UX-001", "pass", principles=[1, 2], domain="uiux",
                location=Location(file="digital-service.yaml", line=5, column=3, path="service.targets")),
        finding("UX-012", "manual", principles=[1, 2], domain="uiux", verification="attested",
                reason=Text(ja="証跡がまだありません", en="No evidence yet")),
        finding("GOV-003", "fail", principles=[5, 9], severity="medium", target="repo",
                title=Text(ja="BCP の文書がある", en="A business continuity plan exists"),
                message=Text(ja="docs/bcp.md がありません", en="docs/bcp.md is missing"),
                location=Location(file="docs/bcp.md"), subject="docs/bcp.md"),
        finding("OSS-001", "pass", principles=[8], severity="low", target="repo",
                location=Location(file="LICENSE", line=1)),
        finding(
            "DATA-L1-01", "fail", principles=[4, 7], domain="data", target="data", severity="medium",
            title=Text(ja="住所が標準の書式", en="Addresses follow the standard format"),
            message=Text(ja="住所の書式が標準と異なります（7件）", en="7 addresses do not follow the standard"),
            location=Location(file="data/施設一覧.csv", row=4, column="住所", value="東京都新宿区西新宿2-8-1"),
            occurrences=[Location(file="data/施設一覧.csv", row=9, column="住所")],
            more_occurrences=5, subject="data/施設一覧.csv", metrics={"share_passing": 0.9},
        ),
        finding("DATA-ENC-01", "pass", principles=[4, 7], domain="data", target="data", severity="high",
                subject="data/施設一覧.csv", location=Location(file="data/施設一覧.csv")),
        finding(
            "A11Y-1.1.1", "fail", principles=[3], domain="accessibility", target="page", severity="high",
            title=Text(ja="画像に代替テキストがある", en="Images have alternative text"),
            message=Text(ja="代替テキストのない画像が 2 件あります", en="2 images have no alternative text"),
            location=Location(url=PAGE, selector="main > img:nth-child(2)", snippet='<img src="logo.png">'),
            occurrences=[Location(url=PAGE, selector="footer img")],
            subject=PAGE,
            references=[Reference(document="JIS X 8341-3:2016", jis="1.1.1", wcag="1.1.1", rule="image-alt")],
        ),
        finding(
            "A11Y-1.4.3", "fail", principles=[3], domain="accessibility", target="page", severity="medium",
            title=Text(ja="文字のコントラスト比が十分", en="Text contrast is sufficient"),
            message=Text(ja="コントラスト比 2.9:1 の文字 | 注意", en="Text with contrast 2.9:1 | note"),
            location=Location(url=FORM, selector="#apply > p.hint",
                              snippet='<p class="hint">入力例:\x07 "東京都" & <b>新宿区</b></p>'),
            subject=FORM,
            references=[Reference(document="JIS X 8341-3:2016", jis="1.4.3", wcag="1.4.3", rule="color-contrast")],
        ),
        finding("A11Y-2.4.2", "pass", principles=[3], domain="accessibility", target="page", severity="medium",
                subject=PAGE, location=Location(url=PAGE),
                references=[Reference(document="JIS X 8341-3:2016", jis="2.4.2", wcag="2.4.2")]),
        finding("A11Y-3.1.1", "error", principles=[3], domain="accessibility", target="page", severity="medium",
                subject=FORM,
                reason=Text(ja="ページが 30 秒以内に読み込まれませんでした", en="The page did not load within 30 s"),
                references=[Reference(document="JIS X 8341-3:2016", jis="3.1.1", wcag="3.1.1")]),
        finding("SEC-HDR-01", "not_applicable", principles=[5], domain="security", target="page", severity="low",
                subject=PAGE, reason=Text(ja="HTTPS ではないため対象外", en="Not HTTPS")),
        finding("GOV-010", "waived", principles=[9], severity="high",
                location=Location(file="digital-service.yaml", line=40, column=5, path="kpis"),
                reason=Text(ja="次期改修で対応（承認: 情報政策課）", en="Planned for the next release (approved)"),
                waiver={"check": "GOV-010", "reason": "次期改修で対応", "approver": "情報政策課",
                        "expires": "2027-03-31"}),
    ]


def principles(scores: dict[int, float | None]) -> list[PrincipleScore]:
    out = []
    for n in range(1, 11):
        score = scores.get(n)
        out.append(PrincipleScore(
            id=n, title=Text(ja=TITLES[n][0], en=TITLES[n][1]), score=score,
            coverage=0.0 if score is None else 0.8, incomplete=n == 3, threshold=60.0,
            below_threshold=score is not None and score < 60, passed=2, failed=1 if score and score < 100 else 0,
            manual=1 if n in (1, 2) else 0, errors=1 if n == 3 else 0,
        ))
    return out


def make_report(with_jis: bool = True) -> Report:
    from guideline_lint.jis import jis_table

    items = findings()
    extensions = {"jis_x_8341_3": jis_table(items, pages_tested=2)} if with_jis else {}
    return Report(
        tool={"name": "guideline-lint", "version": "0.1.0"},
        ruleset={"id": "tmg-code-of-conduct", "version": "1.1.0"},
        service={"id": "tokyo-example-permit", "phase": "operation", "name": "例示許可申請サービス"},
        generated_at="2026-11-26T08:00:00Z",
        score=63.4,
        principles=principles({1: 80.0, 2: 90.0, 3: 42.5, 4: 70.0, 5: 55.0, 7: 70.0, 8: 100.0, 9: 61.0}),
        findings=items,
        skipped=[Skipped(check_id="A11Y-PAGES-01", title=Text(ja="ページが表示できる", en="Pages can be shown"),
                         principles=[3], severity="high", target="page",
                         reason=Text(ja="--no-pages のためページを検査しませんでした",
                                     en="pages not checked (--no-pages)"))],
        kpis=[
            KpiValue(id="nps", principles=[1, 2, 9], value=12, target=20, measured_at="2026-09-30", better="higher",
                     met=False),
            KpiValue(id="online_usage_rate", principles=[2, 9], value=0.84, target=0.8, unit="ratio",
                     measured_at="2026-09-30", better="higher", met=True),
            KpiValue(id="training_rate", principles=[10], value=None, target=0.5, unit="ratio"),
        ],
        gate=Gate(passed=False, reasons=[
            Text(ja="重大度「高」の不合格が 2 件あります", en="2 failures of severity high"),
            Text(ja="原則3 のスコアが基準 60 未満です", en="Principle 3 is below its threshold 60"),
        ]),
        metrics={"input_fields": {"total": 14, "pages": [
            {"url": FORM, "fields": 14, "forms": [{"selector": "#apply", "fields": 14}]},
            {"url": PAGE, "fields": 0, "forms": []}]}},
        extensions=extensions,
    )


def make_baseline() -> Report:
    """Last run: SEC-004 passed, UX-020 failed (fixed since), principle 3 and 5 scored differently."""
    report = make_report()
    items = [f for f in report.findings if f.check_id != "SEC-004"]
    items.append(finding("SEC-004", "pass", principles=[5], domain="security", severity="high",
                         location=Location(file="digital-service.yaml", line=19, column=3,
                                           path="security.csirt_contact")))
    items.append(finding("UX-020", "fail", principles=[2], domain="uiux", severity="high",
                         location=Location(file="digital-service.yaml", line=8, column=3, path="service.summary_url")))
    scores = {p.id: p.score for p in report.principles}
    scores.update({3: 40.0, 5: 75.0, 2: 85.0})
    fields = {"input_fields": {"total": 17, "pages": [{"url": FORM, "fields": 17, "forms": []}]}}
    return report.model_copy(update={"findings": items, "principles": principles(scores), "score": 60.1,
                                     "metrics": fields})


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    """The OASIS SARIF 2.1.0 schema (a copy, so tests need nothing outside the repository)."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


# What a run could not evaluate besides skipped checks (report.extensions["not_evaluated"]): a page, an empty glob.
NOT_AUDITED = {"ja": "ページを検査できませんでした: build/map.html（応答がありません）",
               "en": "the page could not be audited: build/map.html (no response)"}
NO_MATCH = {"ja": "data の data/**/*.csv に当てはまるファイルがありません", "en": "data: data/**/*.csv matched no file"}
