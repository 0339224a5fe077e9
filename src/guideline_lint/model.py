"""Pydantic models of checks, rulesets, findings and the report (DESIGN §2, §3.3).

The JSON Schemas published under ``schemas/`` are generated from these models
(``guideline-lint schema check|ruleset|report``), so the models are the single source.
The manifest's models live in ``manifest.py``.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator
from pydantic.json_schema import SkipJsonSchema


class Model(BaseModel):
    """Base of every model here: a validator is built when first used, not at import. A run uses few of
    them (checks come from the cache, already validated), and building all cost ~40 ms of each start."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Base for data people write by hand: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid")


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MANUAL = "manual"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"
    WAIVED = "waived"

    @property
    def rank(self) -> int:
        """The one order of statuses, worst first (0): what needs attention before what.

        A failure is a known problem; an error means the check could not decide; a manual item waits for
        a person; a waived failure is known and accepted; then passes, then what does not apply. Sorting,
        grouping and "the status that stands for several" (``Status.worst``) all use this order."""
        return _STATUS_RANK[self]

    @classmethod
    def worst(cls, statuses: Iterable["Status"]) -> "Status":
        """The status that stands for several (the lowest rank); ``not_applicable`` when there are none."""
        return min(statuses, key=_STATUS_RANK.__getitem__, default=cls.NOT_APPLICABLE)


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """The one order of severities, most severe first (0)."""
        return _SEVERITY_RANK[self]


# Declaration order is the order: one place to read it, and it cannot drift from the members.
_STATUS_RANK = {s: i for i, s in enumerate(
    (Status.FAIL, Status.ERROR, Status.MANUAL, Status.WAIVED, Status.PASS, Status.NOT_APPLICABLE))}
_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class Target(StrEnum):
    MANIFEST = "manifest"
    REPO = "repo"
    DATA = "data"
    PAGE = "page"


class Phase(StrEnum):
    PLANNING = "planning"
    DEVELOPMENT = "development"
    OPERATION = "operation"


class Verification(StrEnum):
    MACHINE = "machine"  # decided from files, data or pages
    ATTESTED = "attested"  # a person's claim with evidence, who and when


Principle = Annotated[int, Field(ge=1, le=10)]


class Text(Strict):
    """A bilingual text: Japanese first, English on request."""

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


class Compact(Model):
    """Serialises without its unset (None) fields: locations and references stay short in reports."""

    @model_serializer(mode="wrap")
    def _drop_none(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}


class Reference(Strict, Compact):
    document: str = Field(min_length=1, description="e.g. 'JIS X 8341-3:2016', '行動指針 ver.1.1.0'")
    section: str | None = None
    jis: str | None = Field(None, description="JIS X 8341-3:2016 success criterion, e.g. '1.1.1'")
    wcag: str | None = Field(None, description="WCAG success criterion, e.g. '1.1.1'")
    rule: str | None = Field(None, description="rule id in the document, e.g. 'L1-01' or an axe rule id")
    url: str | None = None


# --------------------------------------------------------------------------- checks


class Parameter(Strict):
    """A number a check or the scoring uses. `source` says where it comes from: a line of a document, or
    'guideline-lint default' when no source gives it."""

    value: float
    unit: str | None = None
    title: Text
    source: str = Field(min_length=1)
    used_by: list[str] = Field(default_factory=list, description="check ids (or 'thresholds') that use it")


class Check(Strict):
    """One atomic, declarative rule. ``assert`` instantiates a check kind with its parameters."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*-[A-Z0-9-]+$", description="stable id, e.g. SEC-004")
    aliases: list[str] = Field(default_factory=list, description="former ids of a renamed check")
    title: Text
    message: Text = Field(description="what is wrong; may use {placeholders} the kind provides")
    remediation: Text = Field(description="what to do about it")
    principles: list[Principle] = Field(min_length=1)
    domain: Literal["uiux", "accessibility", "data", "security", "governance"]
    target: Target
    phases: list[Phase] = Field(min_length=1)
    severity: Severity
    references: list[Reference] = Field(min_length=1)
    when: dict[str, Any] | None = Field(
        None, description="a condition (same form as assert): when it does not hold the check is not applicable"
    )
    when_reason: Text | None = Field(None, description="shown when `when` makes the check not applicable")
    assert_: dict[str, Any] = Field(alias="assert", description="{kind: NAME, ...parameters of the kind}")
    tags: list[str] = Field(default_factory=list)
    parameters: dict[str, str] = Field(
        default_factory=dict,
        description="assert parameter (a key such as `max_age_days`, or `item_min.participants`; set wherever it "
                    "occurs in the assert and its nested asserts) -> the ruleset parameter (`parameters:` of the "
                    "ruleset) that gives its value; the value stays in the assert as the check's own default; the "
                    "message and remediation may name it as {parameter_name}")
    # The ruleset parameters applied to the assert (filled when a ruleset is resolved, never written in YAML):
    # the engine names their values and sources in the findings.
    parameter_values: SkipJsonSchema[dict[str, Parameter]] = Field(default_factory=dict, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _values_come_from_the_ruleset(cls, data: Any) -> Any:
        if isinstance(data, dict) and "parameter_values" in data:
            raise ValueError("parameter_values is set from the ruleset's parameters; name them in `parameters:`")
        return data


class CheckFile(Strict):
    """A check file holds one check or a small family of them."""

    checks: list[Check] = Field(min_length=1)


# --------------------------------------------------------------------------- rulesets


class Selector(Strict):
    """Selects checks; every given criterion must match (an empty selector matches nothing)."""

    ids: list[str] = Field(default_factory=list, description="ids or globs such as 'SEC-*'")
    domains: list[str] = Field(default_factory=list)
    principles: list[Principle] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class Override(Strict):
    ids: list[str] = Field(min_length=1, description="ids or globs")
    severity: Severity | None = None
    weight: float | None = Field(None, ge=0)


class PracticeSettings(Strict):
    """Scoring through practices (rulesets/practices.yaml): each principle's score is the weighted mean of its
    practices' scores; a practice's score is the weighted mean of its checks'."""

    default_weight: float = Field(1.0, gt=0)
    weights: dict[str, float] = Field(default_factory=dict, description="practice id -> weight within its principle")


class Ruleset(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    version: str
    title: Text
    description: Text | None = None
    extends: str | None = Field(None, description="id of a bundled ruleset or a path relative to this file")
    include: list[Selector] = Field(default_factory=list)
    exclude: list[Selector] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    severity_weights: dict[Severity, float] | None = None
    thresholds: dict[int, float] = Field(default_factory=dict, description="principle -> minimum score")
    default_threshold: float | None = Field(None, ge=0, le=100)
    practices: PracticeSettings | None = Field(
        None, description="score each principle through its practices (inherited by rulesets that extend this one)")
    parameters: dict[str, Parameter] = Field(
        default_factory=dict, description="numbers the checks and the scoring use; `pass_mark` is the default "
                                          "threshold when default_threshold is not set")


# --------------------------------------------------------------------------- findings and report


class Location(Compact):
    """Where a finding is: {file, line, column} for manifest and repo, {file, row, column} for data,
    {url, selector, snippet} for pages."""

    model_config = ConfigDict(extra="forbid")

    file: str | None = None
    line: int | None = None
    column: int | str | None = None
    row: int | None = None
    path: str | None = Field(None, description="dotted path in the manifest, for matching across edits")
    url: str | None = None
    selector: str | None = None
    snippet: str | None = None
    value: str | None = Field(None, description="the offending value, shortened")
    viewports: list[str] | None = Field(
        None, description="pages: the viewports this place was found at, when not at every viewport the page was "
                          "audited at (e.g. ['mobile'] for a menu shown only on phones)")


class Finding(Model):
    model_config = ConfigDict(extra="forbid")

    check_id: str
    title: Text
    principles: list[Principle]
    domain: str
    target: Target
    status: Status
    severity: Severity
    verification: Verification
    message: Text
    remediation: Text | None = None
    location: Location | None = None
    occurrences: list[Location] = Field(default_factory=list, description="further places, capped")
    more_occurrences: int = Field(0, description="places beyond the cap")
    subject: str | None = Field(None, description="the file or URL judged, when a check runs per item")
    reason: Text | None = Field(None, description="why not applicable, waived or in error")
    waiver: dict[str, Any] | None = None
    references: list[Reference] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)
    viewports: list[str] | None = Field(
        None, exclude_if=lambda value: value is None,  # absent, not null: reports without pages are unchanged
        description="page findings judged in a browser: the viewports (desktop, mobile) at which this status "
                          "was found; the page's other audited viewports gave a better status. Absent for findings "
                          "not tied to a viewport")

    @property
    def fingerprint(self) -> str:
        """The finding's identity across runs: check, target and place, never the line (lines move with edits).

        The place is the subject (the file or URL judged) or else the location's URL or file; the detail is the
        manifest's dotted path or the page element's selector. The baseline gate, the Markdown changes and
        SARIF's partialFingerprints all match findings by this one key."""
        location = self.location
        place = (location.url or location.file or "") if location else ""
        detail = (location.path or location.selector or "") if location else ""
        return "\x1f".join((self.check_id, self.target.value, self.subject or place, detail))


class PracticeCheck(Model):
    """One check as evidence of a practice."""

    id: str
    status: Status = Field(description="the worst status of its findings; not_applicable when skipped")
    weight: float
    score: float | None = Field(None, description="100 × credit; null when not applicable or not evaluated")
    evaluated: bool = Field(True, description="false when skipped (e.g. --no-pages) or in error")


class PracticeScore(Model):
    """A practice (an action the code of conduct names for a service) scored from its checks."""

    id: str
    title: Text
    weight: float = Field(description="the practice's weight within its principle (ruleset)")
    score: float | None = Field(description="null when none of its checks applies (not assessed)")
    coverage: float = Field(description="share of its checks' weight that was evaluated")
    lines: list[int] = Field(default_factory=list, description="lines of the code of conduct that name it")
    checks: list[PracticeCheck] = Field(default_factory=list)


class PrincipleScore(Model):
    id: Principle
    title: Text
    score: float | None = Field(description="null when no applicable check (not assessed), never 100")
    coverage: float
    incomplete: bool
    threshold: float | None = None
    threshold_source: str | None = Field(None, description="where the threshold comes from, e.g. "
                                                            "'guideline-lint default' (the source sets no pass mark)")
    below_threshold: bool = False
    passed: int = 0
    failed: int = 0
    manual: int = 0
    not_applicable: int = 0
    errors: int = 0
    waived: int = 0
    practices: list[PracticeScore] = Field(
        default_factory=list, description="the principle's practices with their checks (empty: scored by checks)")
    first_step: Text | None = Field(None, description="はじめの一歩 of the principle, in the source's words")
    viewpoints: list[Text] = Field(
        default_factory=list, description="目標設定の視点: the logic model's questions a team sets its goals by, in "
                                          "the source's words")


class KpiValue(Model):
    id: str
    principles: list[Principle]
    value: float | None = None
    target: float | None = None
    unit: str | None = None
    measured_at: str | None = None
    better: Literal["higher", "lower"] | None = None
    met: bool | None = None
    title: Text | None = Field(None, description="the catalogue's title (the source's words) or the service's own")
    type: str | None = Field(None, description="output | outcome for a KPI; kgi | participation | component for a "
                                               "quality indicator")
    own: bool = Field(False, description="a KPI the service defines in its manifest, not one of the catalogue")
    indicator: bool = Field(False, description="a quality indicator (品質評価指標), not a KPI")
    note: Text | None = Field(None, description="e.g. an id close to a catalogue id: did you mean …")


class Gate(Model):
    passed: bool
    reasons: list[Text] = Field(default_factory=list)


class Skipped(Model):
    check_id: str
    title: Text | None = None  # the check's title (reports of earlier versions have none)
    principles: list[Principle]
    severity: Severity
    target: Target
    reason: Text


class Report(Model):
    schema_version: Literal[1] = 1
    tool: dict[str, str]
    ruleset: dict[str, str]
    service: dict[str, str | None]
    generated_at: str
    score: float | None
    principles: list[PrincipleScore]
    findings: list[Finding]
    skipped: list[Skipped] = Field(default_factory=list, description="checks not evaluated (e.g. --no-pages)")
    kpis: list[KpiValue] = Field(default_factory=list)
    gate: Gate | None = None
    metrics: dict[str, Any] = Field(default_factory=dict, description="measurements such as input fields")
    extensions: dict[str, Any] = Field(
        default_factory=dict, description="sections other parts add, e.g. the JIS X 8341-3 table"
    )
