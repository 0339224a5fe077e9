"""Practices: the actions the code of conduct names for a service, each traced to a line of the source, with the
checks that are their evidence (rulesets/practices.yaml). Scoring goes check → practice → principle (scoring.py);
this module only reads the catalogue, resolves a ruleset's practice weights and measures weight shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

from guideline_lint.catalog import load_bundled_yaml, rulesets_dir, suggest
from guideline_lint.errors import InputError
from guideline_lint.model import PracticeSettings, Report, Status, Target, Text
from guideline_lint.scoring import Weights, check_outcomes


class Practice(NamedTuple):
    id: str
    principle: int
    title: Text
    origin: str  # action | process | roadmap | first_step | kpi (see rulesets/practices.yaml)
    source: tuple[tuple[int, str], ...]  # (line, the source's words)
    checks: tuple[str, ...]

    @property
    def lines(self) -> list[int]:
        return sorted({line for line, _ in self.source})


class WeightedPractice(NamedTuple):
    """A practice as a ruleset scores it."""

    id: str
    principle: int
    title: Text
    weight: float
    lines: tuple[int, ...]
    checks: tuple[str, ...]


@cache
def catalogue() -> dict[str, Practice]:
    raw = load_bundled_yaml(rulesets_dir() / "practices.yaml")
    return {
        p["id"]: Practice(id=p["id"], principle=p["principle"], title=Text(**p["title"]), origin=p["from"],
                          source=tuple((s["line"], s["quote"]) for s in p["source"]), checks=tuple(p["checks"]))
        for p in raw["practices"]
    }


def check_settings(settings: PracticeSettings | None, file: str | None = None) -> None:
    """A weight for a practice that does not exist would silently do nothing: refuse it with a suggestion."""
    if settings is None:
        return
    known = catalogue()
    for practice_id in settings.weights:
        if practice_id not in known:
            guess = suggest(practice_id, set(known))
            raise InputError(
                Text(ja=f"practices.weights の「{practice_id}」は実践の ID ではありません。",
                     en=f"'{practice_id}' in practices.weights is not a practice id."),
                file=file,
                hint=Text(ja=f"「{guess}」ですか？", en=f"did you mean '{guess}'?") if guess else
                Text(ja="ID は rulesets/practices.yaml にあります。", en="the ids are in rulesets/practices.yaml."))


def weighted(settings: PracticeSettings | None, check_ids: Iterable[str]) -> tuple[WeightedPractice, ...]:
    """The practices a ruleset scores by, with their weights and the checks it selected; () when the ruleset does
    not score through practices (each principle is then scored from its checks directly)."""
    if settings is None:
        return ()
    selected = frozenset(check_ids)
    cached = _WEIGHTED.get((id(settings), selected))
    if cached is not None and cached[0] is settings:
        return cached[1]
    result = tuple(
        WeightedPractice(id=p.id, principle=p.principle, title=p.title,
                         weight=settings.weights.get(p.id, settings.default_weight), lines=tuple(p.lines),
                         checks=tuple(c for c in p.checks if c in selected))
        for p in catalogue().values()
    )
    _WEIGHTED[(id(settings), selected)] = (settings, result)
    return result


# Worked out once per ruleset (its settings object) and selection of checks: a run scores once, the tracker often.
_WEIGHTED: dict[tuple[int, frozenset[str]], tuple[PracticeSettings, tuple[WeightedPractice, ...]]] = {}


def practices_of(check_id: str) -> list[Practice]:
    """The practices a check is evidence for (one per principle at most)."""
    return [p for p in catalogue().values() if check_id in p.checks]


def trace_table(checks: Mapping[str, Any] | None = None) -> str:
    """The Markdown trace table practice → source lines → checks (docs/scoring.md holds it; a test keeps it current).
    ``checks`` (id -> Check) adds each check's target, to show which evidence is machine-read from pages or data."""
    origin = {"action": "アクション例", "process": "対応イメージ", "roadmap": "ロードマップ", "first_step": "第一歩",
              "kpi": "KPI"}
    rows = ["| practice | 原則 | 実践（原典の文言） / practice | from | lines | checks |",
            "|---|---|---|---|---|---|"]
    for p in catalogue().values():
        evidence = ", ".join(f"{c} ({checks[c].target.value})" if checks and c in checks else c for c in p.checks)
        if len(p.checks) > 12:  # the per-criterion and per-rule families: first and last, with the count
            evidence = f"{len(p.checks)} checks: {p.checks[0]} … {p.checks[-1]}"
        rows.append(f"| {p.id} | {p.principle} | {p.title.ja} / {p.title.en} | {origin[p.origin]} | "
                    f"{', '.join(map(str, p.lines))} | {evidence or '— (not assessed: no check sees it yet)'} |")
    return "\n".join(rows) + "\n"


def principle_mismatches() -> dict[str, tuple[list[int], list[int]]]:
    """Bundled checks whose own `principles:` differ from the principles of their practices: check id ->
    (the check's, the practices')."""
    from guideline_lint.loading import load_bundled_checks  # loading imports this module

    result = {}
    for check_id, check in load_bundled_checks().items():
        wanted = sorted({p.principle for p in practices_of(check_id)})
        if wanted and wanted != sorted(check.principles):
            result[check_id] = (list(check.principles), wanted)
    return result


def unmapped(check_ids: Iterable[str]) -> list[str]:
    """Checks that are evidence for no practice (a test keeps this empty for the bundled checks)."""
    mapped = {c for p in catalogue().values() for c in p.checks}
    return sorted(set(check_ids) - mapped)


# --------------------------------------------------------------------------- weight shares


def check_category(check: Any) -> str:
    """page-format: checks of the live pages; data-format: checks of the open-data files; other: the rest."""
    if check.target == Target.PAGE:
        return "page-format"
    if check.target == Target.DATA:
        return "data-format"
    return "other"


def weight_shares(report: Report, weights: Weights, categories: Mapping[str, str]) -> dict[int, dict[str, float]]:
    """Per assessed principle, the share of its score's weight that comes from each category of checks
    (``categories``: check id -> e.g. check_category), over the checks that applied.

    Through practices a check's share is (practice weight / Σ weights of the assessed practices) × (check weight /
    Σ weights of the practice's applicable checks). A report scored without practices gives each check its weight
    over the principle's."""
    shares: dict[int, dict[str, float]] = {}
    outcomes = check_outcomes(report.findings)
    principles_of = {f.check_id: f.principles for f in report.findings}
    for principle in report.principles:
        result: dict[str, float] = defaultdict(float)
        if principle.practices:
            assessed = [p for p in principle.practices if p.score is not None]
            total = sum(p.weight for p in assessed)
            for practice in assessed:
                applicable = [c for c in practice.checks if c.status != Status.NOT_APPLICABLE]
                inner = sum(c.weight for c in applicable)
                for check in applicable:
                    result[categories[check.id]] += practice.weight / total * check.weight / inner
        else:
            applicable = {cid: weights.of(cid, o.severity) for cid, o in outcomes.items()
                          if o.status != Status.NOT_APPLICABLE and principle.id in principles_of[cid]}
            total = sum(applicable.values())
            for cid, w in applicable.items():
                result[categories[cid]] += w / total
        if result:
            shares[principle.id] = {k: round(v, 3) for k, v in sorted(result.items())}
    return shares
