"""Combinators: ``all``, ``any`` and ``not`` over nested asserts (which may use any target's kinds)."""

from typing import Any

from pydantic import Field

from guideline_lint.facts import Facts
from guideline_lint.kinds import evaluate_assert
from guideline_lint.kinds.base import Kind, Observation, Params, worst
from guideline_lint.model import Status, Text


def _evaluate(spec: dict[str, Any], facts: Facts) -> list[Observation]:
    return evaluate_assert(spec, facts)  # the registry dispatches nested kinds


def _first_with(observations: list[Observation], status: Status) -> Observation | None:
    return next((o for o in observations if o.status == status), None)


class ListOfAsserts(Params):
    of: list[dict[str, Any]] = Field(min_length=1)

    def nested(self) -> list[dict[str, Any]]:
        return self.of


class AllKind(Kind):
    name = "all"
    target = None
    Params = ListOfAsserts
    summary = Text(ja="すべての条件を満たす", en="every nested assert holds")

    def evaluate(self, params: ListOfAsserts, facts: Facts) -> list[Observation]:
        results = [o for spec in params.of for o in _evaluate(spec, facts)]
        status = worst(results)
        chosen = _first_with(results, status) or (results[0] if results else None)
        attested = any(o.attested for o in results if o.status == Status.PASS)
        if chosen is None:
            return [Observation(Status.NOT_APPLICABLE)]
        return [Observation(status, location=chosen.location, detail=chosen.detail, reason=chosen.reason,
                            occurrences=chosen.occurrences, attested=attested)]


class AnyKind(Kind):
    name = "any"
    target = None
    Params = ListOfAsserts
    summary = Text(ja="いずれかの条件を満たす", en="at least one nested assert holds")

    def evaluate(self, params: ListOfAsserts, facts: Facts) -> list[Observation]:
        results: list[Observation] = []
        for spec in params.of:
            observations = _evaluate(spec, facts)
            if observations and worst(observations) == Status.PASS:
                return [Observation(Status.PASS, location=observations[0].location, detail=observations[0].detail,
                                    attested=any(o.attested for o in observations))]
            results.extend(observations)
        status = worst(results)
        chosen = _first_with(results, status) or (results[0] if results else None)
        if chosen is None:
            return [Observation(Status.NOT_APPLICABLE)]
        return [Observation(status, location=chosen.location, detail=chosen.detail, reason=chosen.reason)]


class NotParams(Params):
    assert_: dict[str, Any] = Field(alias="assert")

    def nested(self) -> list[dict[str, Any]]:
        return [self.assert_]


class NotKind(Kind):
    name = "not"
    target = None
    Params = NotParams
    summary = Text(ja="条件を満たさない", en="the nested assert does not hold")

    def evaluate(self, params: NotParams, facts: Facts) -> list[Observation]:
        observations = _evaluate(params.assert_, facts)
        status = worst(observations)
        flipped = {Status.PASS: Status.FAIL, Status.FAIL: Status.PASS}.get(status, status)
        chosen = observations[0] if observations else Observation(Status.NOT_APPLICABLE)
        return [Observation(flipped, location=chosen.location, detail=chosen.detail, reason=chosen.reason)]


KINDS: list[type[Kind]] = [AllKind, AnyKind, NotKind]
