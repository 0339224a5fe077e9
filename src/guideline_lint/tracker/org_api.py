"""The API of the organisation's own indicator values: the central bureau enters them, everyone reads them.

``POST /api/v1/indicators`` takes one dated value with an editor's token (``tracker add-editor``; a service's
upload token is refused with 403); ``GET /api/v1/indicators`` lists every value with what the catalogue says.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from guideline_lint import catalog
from guideline_lint.tracker.org_input import MAX_ENTRY_BYTES, IndicatorEntry, parse_entry
from guideline_lint.tracker.records import OrgValue
from guideline_lint.tracker.validation import Refused

router = APIRouter(tags=["indicators"])
_bearer = HTTPBearer(auto_error=False)
_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def _msg(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


def editor(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    """The editor whose token came with the request: 401 without a known token, 403 for a service's token."""
    if credentials is None or not credentials.credentials:
        raise HTTPException(401, _msg("トークンがありません（Authorization: Bearer …）。",
                                      "no token (Authorization: Bearer …)."), headers=_UNAUTHORIZED)
    store = request.app.state.store
    found = store.editor_for_token(credentials.credentials)
    if found is not None:
        return str(found)
    if store.service_for_token(credentials.credentials) is not None:
        raise HTTPException(403, _msg(
            "サービスのアップロード用トークンでは全庁の指標を入力できません"
            "（tracker add-editor で入力者のトークンを発行）。",
            "a service's upload token cannot enter the organisation's indicators (tracker add-editor issues an "
            "editor's token)."))
    raise HTTPException(401, _msg("トークンが正しくありません。", "the token is not valid."), headers=_UNAUTHORIZED)


Editor = Annotated[str, Depends(editor)]


def as_json(value: OrgValue) -> dict[str, Any]:
    data = dataclasses.asdict(value)
    return {**data, "measured_on": value.measured_on.isoformat(), "entered_at": value.entered_at.isoformat() + "Z"}


@router.post(
    "/api/v1/indicators", status_code=201,
    responses={200: {"description": "replaced the value of that indicator and day"},
               401: {"description": "no token or an invalid token"},
               403: {"description": "a service's upload token, not an editor's"},
               413: {"description": f"request body over {MAX_ENTRY_BYTES} bytes"},
               422: {"description": "not a valid entry (unknown indicator, out of range, future date …)"}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": IndicatorEntry.model_json_schema()}}}},
)
async def set_indicator(request: Request, who: Editor) -> JSONResponse:
    """Store the value an organisation-level indicator had on a day (the same indicator and day again replaces it).
    Ratios are 0–1 (62 % is 0.62)."""
    raw = await request.body()
    if len(raw) > MAX_ENTRY_BYTES:
        raise HTTPException(413, _msg(f"入力が大きすぎます（上限 {MAX_ENTRY_BYTES} バイト）。",
                                      f"the entry is too large (limit {MAX_ENTRY_BYTES} bytes)."))
    try:
        entry = parse_entry(raw, datetime.now(UTC).date())
    except Refused as exc:
        raise HTTPException(422, exc.errors) from exc
    stored, created = await run_in_threadpool(request.app.state.store.set_org_value, entry.indicator, entry.date,
                                              entry.value, entry.target, entry.source, who)
    return JSONResponse({**as_json(stored), "stored": created}, status_code=201 if created else 200)


@router.get("/api/v1/indicators")
def list_indicators(request: Request) -> list[dict[str, Any]]:
    """Every indicator of the catalogue with its source lines, target and the values entered for the organisation
    (oldest first; an indicator nobody entered has none, which the dashboard shows as 未入力)."""
    entered = request.app.state.store.org_values()
    return [{"id": info.id, "role": info.role, "scope": info.scope, "title": info.title.model_dump(),
             "unit": info.unit, "better": info.better, "target": info.target, "lines": list(info.lines),
             "values": [as_json(v) for v in entered.get(info.id, [])]}
            for info in catalog.indicators().values()]
