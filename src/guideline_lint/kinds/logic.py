"""Combinators: ``all``, ``any`` and ``not`` over nested asserts (which may use any target's kinds), and
``justified``: a nested assert a reason written in the manifest may set aside."""

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
        # None holds; one that could not be judged might have held, so the answer is that error, not a failure.
        status = Status.ERROR if any(o.status == Status.ERROR for o in results) else worst(results)
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


class JustifiedParams(Params):
    reason: str = Field(description="manifest path of the team's reason for not doing what the assert asks")
    assert_: dict[str, Any] = Field(alias="assert")

    def nested(self) -> list[dict[str, Any]]:
        return [self.assert_]


class JustifiedKind(Kind):
    name = "justified"
    target = None
    Params = JustifiedParams
    summary = Text(ja="条件を満たすか、満たさない理由がマニフェストに書かれている（理由を示して対象外）",
                   en="the nested assert holds, or the manifest gives a reason why not (not applicable, the reason "
                      "shown)")

    def evaluate(self, params: JustifiedParams, facts: Facts) -> list[Observation]:
        observations = _evaluate(params.assert_, facts)
        if worst(observations) == Status.PASS or facts.manifest is None:
            return observations
        why = facts.manifest.get(params.reason)
        if not isinstance(why, str) or not why.strip():
            return observations
        shown = why.strip()[:300]
        return [Observation(Status.NOT_APPLICABLE, location=facts.manifest.locate(params.reason),
                            reason=Text(ja=f"理由が記されています（{params.reason}）: {shown}",
                                        en=f"a reason is given ({params.reason}): {shown}"))]


KINDS: list[type[Kind]] = [AllKind, AnyKind, NotKind, JustifiedKind]
