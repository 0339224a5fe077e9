"""The service manifest ``digital-service.yaml`` (DESIGN §3.2) as pydantic models.

The published JSON Schema (``guideline-lint schema manifest``) is generated from these models.
Unknown keys are errors: a misspelt key would otherwise silently lose evidence.
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from guideline_lint.model import Model, Phase


class Section(Model):
    model_config = ConfigDict(extra="forbid")


class Names(Section):
    ja: str = Field(min_length=1)
    en: str | None = None


class Authentication(Section):
    """#6: use the national platforms (GビズID for businesses, 公的個人認証 / JPKI for residents)."""

    required: bool = Field(description="does the service authenticate its users?")
    platforms: list[Literal["gbizid", "jpki", "mynaportal", "tokyo-app", "own"]] = Field(default_factory=list)
    reason_own: str | None = Field(None, description="why an own login is used instead of a national platform: SEC-011 "
                                                     "is then not applicable and the report shows the reason")


class Service(Section):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$", description="stable id used by the tracker")
    name: Names
    bureau: str = Field(min_length=1)
    phase: Phase
    summary_url: str | None = Field(None, description="#2 the service on one page (a repository file or URL)")
    targets: list[str] = Field(default_factory=list, description="#1/#3 who the service is for")
    urls: list[str] = Field(default_factory=list, description="live pages to audit")
    pages: list[str] = Field(default_factory=list, description="globs of built pages served locally and audited")
    page_timeout: float | None = Field(None, ge=1, le=600, description="seconds allowed to load one page (and again "
                                       "to audit it); `check --timeout` or the configuration file wins; default 30")
    authentication: Authentication | None = None
    contact: str | None = Field(None, description="where residents ask about the service")
    released: dt.date | None = None
    support_channels: list[str] = Field(
        default_factory=list, description="#3 non-digital alternatives and support: 電話, 窓口, チャット …"
    )


class KpiTitle(Section):
    ja: str = Field(min_length=1)
    en: str | None = None


class Kpi(Section):
    """A KPI value: of the catalogue (rulesets/kpis.yaml, the code of conduct's examples) or the service's own.

    An id outside the catalogue is the service's own KPI; give it a title and the principles it serves so that
    it counts for them (type, unit and better say what it measures and which way is good)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100,
                    description="an id from the KPI catalogue, or the service's own id")
    value: float | None = None
    target: float | None = None
    baseline: float | None = None
    unit: str | None = None
    measured_at: dt.date | None = None
    source: str | None = None
    title: KpiTitle | None = Field(None, description="own KPI only: its name (ja, and en)")
    principles: list[Annotated[int, Field(ge=1, le=10)]] = Field(
        default_factory=list, description="own KPI only: the principles it serves")
    type: Literal["output", "outcome"] | None = Field(
        None, description="own KPI only: output (direct effect of an action) or outcome (indirect result)")
    better: Literal["higher", "lower"] | None = Field(None, description="own KPI only: which direction is better")


class IndicatorValue(Section):
    value: float | None = None
    target: float | None = None
    unit: str | None = None
    measured_at: dt.date | None = None
    method: str | None = Field(None, description="how it was measured (アンケート調査, 抽出調査 …)")
    source: str | None = Field(None, description="the survey or log it comes from (file or URL)")


class Quality(Section):
    """The service-level quality indicators (デジタルサービスの品質評価指標, code of conduct lines 85–119)."""

    resident_satisfaction: IndicatorValue | None = Field(None, description="[KGI] 都民満足度 (overall satisfaction)")
    digital_participation: IndicatorValue | None = Field(None, description="デジタル参加率 (オンライン利用率)")
    accessibility_findability: IndicatorValue | None = Field(None, description="アクセシビリティ (見つけやすさ)")
    usability: IndicatorValue | None = Field(None, description="ユーザビリティ (使いやすさ)")
    procedure_cost_time: IndicatorValue | None = Field(None, description="手続コスト（時間）")
    service_update: IndicatorValue | None = Field(
        None, description="サービスのアップデート: e.g. days until an improvement (改善されるまでの期間)")


class UserTest(Section):
    date: dt.date
    participants: int = Field(ge=0)
    report: str | None = Field(None, description="repository file with the findings")
    before_release: bool | None = None


class UserReviews(Section):
    count: int = Field(ge=0)
    source: str | None = None
    period_end: dt.date | None = None


class Update(Section):
    date: dt.date
    summary: str
    based_on: str | None = Field(None, description="user feedback, KPI review … that led to it")


class Evidence(Section):
    user_tests: list[UserTest] = Field(default_factory=list)
    user_reviews: UserReviews | None = None
    personas: str | None = Field(None, description="repository file describing target users and their journeys")
    updates: list[Update] = Field(default_factory=list, description="#9 service update history")
    simplification: str | None = Field(None, description="#2 record of steps or input fields removed")


class Accessibility(Section):
    target_level: Literal["A", "AA", "AAA"] | None = None
    conformance: Literal["準拠", "一部準拠", "配慮"] | None = Field(
        None, description="WAIC notation: 準拠 / 一部準拠 / 配慮 (適合 needs a supplier's self-declaration under "
                          "JIS Q 17050-1/-2; not a third-party assessment)"
    )
    policy_url: str | None = None
    test_results_url: str | None = None
    last_audit: dt.date | None = None
    self_check: str | None = Field(None, description="repository file with the accessibility self-check")


class Attestation(Section):
    completed: dt.date | None = None
    evidence: str | None = None
    by: str | None = None


class Security(Section):
    guideline_checklist: Attestation | None = None
    risk_assessment: Attestation | None = None
    vulnerability_assessment: Attestation | None = None
    csirt_contact: str | None = None
    incident_first_report_hours: float | None = Field(None, description="target hours from detection to first report")
    incident_runbook: str | None = None
    bcp: str | None = Field(None, description="business continuity plan (repository file)")
    bcp_tested: dt.date | None = None


class OpenData(Section):
    catalog_id: str | None = Field(None, description="id in the Tokyo open-data catalogue")
    title: str | None = None
    license: str | None = None
    update_frequency: str | None = None
    files: list[str] = Field(default_factory=list, description="globs of the published files")
    standard_dataset: str | None = Field(None, description="自治体標準オープンデータセット id, when one applies")
    units: dict[str, str] = Field(default_factory=dict, description="column -> unit, when the header has none")
    definition: str | None = Field(None, description="field definitions and update history (file or URL)")
    code_table: str | None = Field(None, description="the code table for coded columns (file or URL)")
    encoding: str | None = Field(None, description="the files' declared character encoding and BOM (L3-08), e.g. "
                                                   "'UTF-8', 'UTF-8 (BOM)', 'Shift_JIS'")


class Data(Section):
    inventory: str | None = Field(None, description="生成データ一覧 (repository file)")
    standard_checklist: Attestation | None = Field(None, description="データ標準チェックリスト")
    open_data: list[OpenData] = Field(default_factory=list)
    api: str | None = Field(None, description="URL of a public API")


class Collaboration(Section):
    """#6: working with municipalities and shared platforms."""

    municipalities: list[str] = Field(default_factory=list)
    shared_platforms: list[str] = Field(default_factory=list)
    partners_briefed: dt.date | None = Field(None, description="date the code of conduct was shared with vendors")


class Visibility(Section):
    dashboards: list[str] = Field(default_factory=list, description="#7 public dashboards (URLs)")
    publishes_kpis: bool | None = None


class Oss(Section):
    repository: str | None = None
    license: str | None = None
    decision: Literal["published", "planned", "not_publishing"] | None = None
    reason: str | None = None


class Cocreation(Section):
    events: list[str] = Field(default_factory=list, description="hackathons, workshops, civic-tech meetings")
    feedback_channel: str | None = None


class Training(Section):
    title: str
    date: dt.date
    participants: int | None = Field(None, ge=0)


class Learning(Section):
    trainings: list[Training] = Field(default_factory=list)
    training_rate: float | None = Field(None, ge=0, le=1)
    cases_shared: list[str] = Field(default_factory=list, description="success/failure cases shared (files/URLs)")
    retrospectives: str | None = None


class Review(Section):
    last: dt.date | None = None
    interval_months: int | None = Field(None, ge=1)


class ChecklistAnswer(Section):
    answer: Literal["yes", "no", "n/a"]
    evidence: str | None = None
    date: dt.date | None = None
    by: str | None = None
    reason: str | None = None


class Waiver(Section):
    check: str
    path: str | None = Field(None, description="only findings at this file or URL (glob)")
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: dt.date


class Manifest(Section):
    """digital-service.yaml"""

    schema_version: Literal[1] = 1
    service: Service
    kpis: list[Kpi] = Field(default_factory=list)
    quality: Quality = Field(default_factory=Quality)
    evidence: Evidence = Field(default_factory=Evidence)
    accessibility: Accessibility = Field(default_factory=Accessibility)
    security: Security = Field(default_factory=Security)
    data: Data = Field(default_factory=Data)
    collaboration: Collaboration = Field(default_factory=Collaboration)
    visibility: Visibility = Field(default_factory=Visibility)
    oss: Oss = Field(default_factory=Oss)
    cocreation: Cocreation = Field(default_factory=Cocreation)
    learning: Learning = Field(default_factory=Learning)
    review: Review = Field(default_factory=Review)
    checklists: dict[str, ChecklistAnswer] = Field(default_factory=dict)
    not_applicable: dict[str, str] = Field(default_factory=dict, description="check id -> why it does not apply")
    waivers: list[Waiver] = Field(default_factory=list)
