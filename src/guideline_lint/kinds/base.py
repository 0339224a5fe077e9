"""The small contract every check kind follows.

A kind is a parameterised predicate: ``Params`` (a pydantic model, so its JSON Schema is generated)
and ``evaluate(params, facts)``, which judges facts that collectors gathered beforehand and returns
observations. Kinds never open browsers or walk the disk themselves; they read ``Facts``.

One observation becomes one finding. A kind that judges several subjects (pages, data files)
returns one observation per subject, so low and medium checks can earn partial credit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import ConfigDict

from guideline_lint.facts import Facts, Needs
from guideline_lint.model import Location, Model, Status, Target, Text


class Params(Model):
    """Base of every kind's parameters: unknown parameters are errors."""

    model_config = ConfigDict(extra="forbid")


@dataclass(slots=True)
class Observation:
    status: Status
    location: Location | None = None
    subject: str | None = None  # the file or URL judged, when a kind judges several
    detail: dict[str, Any] = field(default_factory=dict)  # placeholders for the check's message
    occurrences: list[Location] = field(default_factory=list)
    more_occurrences: int = 0
    attested: bool = False  # credit rests on a person's attestation, not on a machine test
    reason: Text | None = None  # why not applicable or in error
    metrics: dict[str, float] = field(default_factory=dict)


class Kind:
    """Base class; subclasses set ``name``, ``target``, ``Params`` and implement ``evaluate``."""

    name: ClassVar[str]
    target: ClassVar[Target | None]  # None: works on any target (combinators)
    Params: ClassVar[type[Params]]
    summary: ClassVar[Text]
    # Pages that could not be audited (time-out, unreachable, crash) are judged only by kinds that say so:
    # the one that reports whether a page loads. Every other kind sees audited pages alone, so one page
    # that did not load is one finding, not one error per check.
    judges_unaudited_pages: ClassVar[bool] = False
    # Likewise data files that could not be read (or hold no data): only the format check reports them.
    judges_unread_data: ClassVar[bool] = False

    def evaluate(self, params: Any, facts: Facts) -> list[Observation]:
        raise NotImplementedError

    def needs(self, params: Any) -> Needs:
        """What the collectors must gather for these parameters beyond the target's base facts
        (axe rules, in-page scripts, optional page facts). Most kinds judge base facts only."""
        return Needs()


def worst(observations: list[Observation]) -> Status:
    """One status for a list of observations: any failure wins, then errors, then manual."""
    statuses = {o.status for o in observations}
    for status in (Status.FAIL, Status.ERROR, Status.MANUAL, Status.PASS):
        if status in statuses:
            return status
    return Status.NOT_APPLICABLE
