"""``form_fields``: no form asks for more fields than the limit (KPI 利用者の入力項目削減数)."""

from __future__ import annotations

from pydantic import Field

from guideline_lint.facts import Facts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import (
    nodes_at,
    pages_of,
)
from guideline_lint.model import Location, Status, Target, Text


class FormFieldsParams(Params):
    max_fields: int = Field(ge=1, description="most input fields one form should ask for")


class FormFieldsKind(Kind):
    name = "form_fields"
    target = Target.PAGE
    Params = FormFieldsParams
    summary = Text(ja="1 つのフォームの入力項目数が上限以下", en="no form asks for more fields than the limit")

    def evaluate(self, params: FormFieldsParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            total = sum(form.get("fields", 0) for form in page.forms)
            metrics = {"input_fields": float(total)}
            if not page.forms:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=Text(ja="入力欄がありません", en="no input fields"), metrics=metrics))
                continue
            big = [f for f in page.forms if f.get("fields", 0) > params.max_fields]
            worst = max(f.get("fields", 0) for f in page.forms)
            if big:
                nodes = [{"selector": f["selector"], "snippet": f"{f['fields']} fields"} for f in big]
                location, occurrences, more = nodes_at(nodes, page.url)
                out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                       more_occurrences=more, metrics=metrics,
                                       detail={"fields": worst, "max_fields": params.max_fields}))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url),
                                       metrics=metrics, detail={"fields": worst, "max_fields": params.max_fields}))
        return out


KINDS: list[type[Kind]] = [FormFieldsKind]
