"""The tracker's HTTP application (DESIGN §3.4): upload API, read API, dashboard and open data.

``create_app(settings)`` builds a FastAPI app over one :class:`~.storage.Store`; ``serve`` runs it
on uvicorn. Uploads are authenticated with a per-service bearer token, limited in size, validated
against the report model, scored by the server itself and stored once per content digest.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from uvicorn.supervisors import Multiprocess

from guideline_lint import __version__, catalog
from guideline_lint.model import KpiValue, Report
from guideline_lint.tracker import dashboard, layout, opendata, org_api, validation
from guideline_lint.tracker import service_page as service_html
from guideline_lint.tracker.connections import HEADER_TIMEOUT_S, uvicorn_config
from guideline_lint.tracker.middleware import BodyLimit, SecurityHeaders
from guideline_lint.tracker.recompute import Recomputed, UnknownRuleset, recompute_report, refusals
from guideline_lint.tracker.records import NewReport, ServiceRow, StoredReport, met
from guideline_lint.tracker.retention import RetentionPolicy
from guideline_lint.tracker.schema import OWN_TITLE_MAX
from guideline_lint.tracker.storage import MAX_ROW_ID, Store, utcnow, valid_service_id
from guideline_lint.tracker.validation import Refused, envelope_problems

MAX_BODY_DEFAULT = 5 * 1024 * 1024
MAX_OFFSET = 10**9  # far beyond any history; larger offsets overflow the database's integer


@dataclass
class Settings:
    db: str | None = None
    max_body_bytes: int = MAX_BODY_DEFAULT
    max_concurrent_uploads: int = 4  # scoring is CPU work: more than the cores only queues in memory
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    prune_interval_s: float = 3600.0  # 0 disables the periodic retention sweep
    contact_url: str | None = None  # the operators' contact page or mailto:, linked from every page
    header_timeout_s: float = HEADER_TIMEOUT_S  # a connection's request head must come within this
    body_timeout_s: float = 60.0  # and its body within this: a slow client cannot hold a slot for good


def _msg(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


class UploadResult(BaseModel):
    id: int
    digest: str
    stored: bool
    service_id: str
    score: float | None
    principles: dict[int, float | None]
    flags: list[dict[str, str]]
    url: str


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def canonical(report: Report) -> tuple[str, str]:
    """The validated model's JSON and its SHA-256. Key order, spacing, and defaults left out or spelled
    out make no difference, so the same report always has the same digest. The models' fields always
    come in their declared order; only the free-form objects (``service``, ``metrics``, …) keep the
    sender's order, so those are sorted (cheaper than re-serialising the whole report sorted)."""
    findings = [f.model_copy(update={"metrics": _sorted(f.metrics), "waiver": _sorted(f.waiver)})
                if len(f.metrics) > 1 or f.waiver else f for f in report.findings]
    ordered = report.model_copy(update={
        "tool": _sorted(report.tool), "ruleset": _sorted(report.ruleset), "service": _sorted(report.service),
        "metrics": _sorted(report.metrics), "extensions": _sorted(report.extensions), "findings": findings})
    payload = ordered.model_dump_json(by_alias=True)
    return payload, hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _new_report(service: ServiceRow, digest: str, payload: str, result: Recomputed,
                generated_at: datetime) -> NewReport:
    claimed, fresh = result.claimed, result.report
    said = {p.id: p.score for p in claimed.principles}
    return NewReport(
        service_id=service.id, digest=digest, generated_at=generated_at,
        service_name=claimed.service.get("name"), bureau=claimed.service.get("bureau"),
        phase=claimed.service.get("phase"), ruleset_id=claimed.ruleset.get("id", ""),
        ruleset_version=claimed.ruleset.get("version", ""), tool_version=claimed.tool.get("version"),
        score=fresh.score, claimed_score=claimed.score, flags=result.flags, payload=payload,
        principles=[{
            "principle": p.id, "score": p.score, "claimed_score": said.get(p.id), "coverage": p.coverage,
            "incomplete": p.incomplete, "passed": p.passed, "failed": p.failed, "manual": p.manual,
            "not_applicable": p.not_applicable, "errors": p.errors,
        } for p in fresh.principles],
        kpis=[{
            "kpi_id": k.id, "value": k.value, "target": k.target, "unit": k.unit, "measured_at": k.measured_at,
            "better": k.better, "met": k.met, **own_kpi_title(k),
        } for k in {k.id: k for k in claimed.kpis if not k.indicator}.values()],
        quality=[{
            "indicator_id": k.id, "value": k.value, "target": k.target, "unit": k.unit, "measured_at": k.measured_at,
            "met": met(k.value, k.target, catalog.indicators()[k.id].better),
        } for k in {k.id: k for k in claimed.kpis if k.indicator}.values()],
    )


def own_kpi_title(kpi: KpiValue) -> dict[str, Any]:
    """An own KPI's name as the report gives it (cut to what the table keeps); a catalogue KPI's comes from the
    catalogue when shown, so nothing is stored for it."""
    own = kpi.own and kpi.id not in catalog.kpis()
    title = kpi.title if own else None
    return {"own": own, "title_ja": title.ja[:OWN_TITLE_MAX] if title else None,
            "title_en": title.en[:OWN_TITLE_MAX] if title else None}


def _result(stored_id: int, digest: str, created: bool, service_id: str, stored: StoredReport) -> UploadResult:
    return UploadResult(
        id=stored_id, digest=digest, stored=created, service_id=service_id, score=stored.score,
        principles={n: p["score"] for n, p in sorted(stored.principles.items())}, flags=stored.flags,
        url=f"/services/{service_id}",
    )


def _summary(report: StoredReport) -> dict[str, Any]:
    return {
        "id": report.id, "digest": report.digest, "generated_at": report.generated_at.isoformat() + "Z",
        "received_at": report.received_at.isoformat() + "Z", "phase": report.phase,
        "ruleset": {"id": report.ruleset_id, "version": report.ruleset_version},
        "score": report.score, "claimed_score": report.claimed_score, "flagged": report.flagged,
        "flags": report.flags,
        "principles": [{"id": n, "score": p["score"], "coverage": p["coverage"], "incomplete": p["incomplete"]}
                       for n, p in sorted(report.principles.items())],
        "kpis": [dict(kpi) for kpi in report.kpis.values()],
        "quality": [dict(value) for value in report.quality.values()],
    }


_bearer = HTTPBearer(auto_error=False)


def authenticated(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> ServiceRow:
    """The service whose token came with the request; 401 without a valid one."""
    unauthorized = {"WWW-Authenticate": "Bearer"}
    if credentials is None or not credentials.credentials:
        raise HTTPException(401, _msg("トークンがありません（Authorization: Bearer …）。",
                                      "no token (Authorization: Bearer …)."), headers=unauthorized)
    service = request.app.state.store.service_for_token(credentials.credentials)
    if service is None:
        raise HTTPException(401, _msg("トークンが正しくありません。", "the token is not valid."),
                            headers=unauthorized)
    return service


Authenticated = Annotated[ServiceRow, Depends(authenticated)]


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    store = store or Store(settings.db)
    uploads = asyncio.Semaphore(settings.max_concurrent_uploads)
    stop = threading.Event()

    def sweep() -> None:
        while not stop.wait(settings.prune_interval_s):
            try:
                store.prune(settings.retention)
            except Exception:  # a database hiccup must not end the sweeps for good
                logging.getLogger(__name__).exception("retention sweep failed")

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(store.migrate)
        await run_in_threadpool(store.prune, settings.retention)
        if settings.prune_interval_s > 0:
            threading.Thread(target=sweep, name="tracker-retention", daemon=True).start()
        yield
        stop.set()
        store.dispose()

    app = FastAPI(
        title="guideline-lint tracker", version=__version__, lifespan=lifespan,
        docs_url=None, redoc_url=None,  # their pages load script from a CDN; the OpenAPI JSON stays
        description="Collects guideline-lint reports of every service and shows them principle by principle "
                    "(東京都 デジタルサービスに関する行動指針 ver.1.1.0).",
    )
    app.state.store = store
    app.state.settings = settings

    def ingest(service: ServiceRow, raw: bytes) -> tuple[int, UploadResult]:
        """Parse and validate in one pass, check the service, then score and store unless the digest is known."""
        try:
            report = Report.model_validate_json(raw)
        except ValidationError as exc:
            raise HTTPException(422, [{"loc": ["body", *e["loc"]], "type": e["type"], "msg": e["msg"],
                                       "msg_ja": f"報告の形式に合いません（{e['type']}）"}
                                      for e in exc.errors(include_url=False, include_input=False)[:50]]) from exc
        if not report.service.get("id"):
            raise HTTPException(422, [{"loc": ["body", "service", "id"], "type": "missing",
                                       "msg": "the report names no service (reports of `audit` are not uploaded; "
                                              "upload the report of `check`)",
                                       "msg_ja": "報告にサービスIDがありません"
                                                 "（audit ではなく check の報告を送ってください）"}])
        if report.service.get("id") != service.id:
            raise HTTPException(403, _msg(
                f"このトークンはサービス {service.id} 用です。{report.service.get('id')} の報告は送れません。",
                f"this token is for service {service.id}; it cannot upload for {report.service.get('id')}."))
        problems = envelope_problems(report, raw)
        generated_at = None
        try:
            generated_at = validation.generated_at(report.generated_at, utcnow())
        except Refused as exc:
            problems += exc.errors
        if problems or generated_at is None:
            raise HTTPException(422, problems[:validation.MAX_ERRORS])
        payload, digest = canonical(report)
        existing = store.find_digest(digest)
        if existing is not None:
            found = store.get_report(existing)
            assert found is not None
            return 200, _result(existing, digest, False, service.id, found[0])
        try:
            problems = refusals(report)
            if problems:
                raise HTTPException(422, problems[:validation.MAX_ERRORS])
            result = recompute_report(report)
        except UnknownRuleset as exc:
            raise HTTPException(422, [{"loc": ["body", "ruleset", "id"], "type": "unknown_ruleset",
                                       "msg": exc.message.en, "msg_ja": exc.message.ja}]) from exc
        new = _new_report(service, digest, payload, result, generated_at)
        report_id, created = store.store_report(new)
        if not created:  # the same report won a race a moment ago
            found = store.get_report(report_id)
            assert found is not None
            return 200, _result(report_id, digest, False, service.id, found[0])
        return 201, UploadResult(
            id=report_id, digest=digest, stored=True, service_id=service.id, score=new.score,
            principles={p["principle"]: p["score"] for p in new.principles}, flags=new.flags,
            url=f"/services/{service.id}")

    @app.post(
        "/api/v1/reports", response_model=UploadResult, status_code=201, tags=["reports"],
        responses={200: {"description": "already stored (same content digest)", "model": UploadResult},
                   401: {"description": "no token or an invalid token"},
                   403: {"description": "the token belongs to another service"},
                   413: {"description": "request body over the size limit"},
                   422: {"description": "not a valid report"}},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}}},
    )
    async def upload_report(request: Request, service: Authenticated) -> JSONResponse:
        """Store a guideline-lint JSON report (DESIGN §3.3). Scores are recomputed by the server.

        The body is read and validated here rather than by FastAPI, so it is parsed once and its
        canonical form (the content digest) comes from the same parse."""
        raw = await request.body()
        async with uploads:
            code, result = await run_in_threadpool(ingest, service, raw)
        return JSONResponse(result.model_dump(mode="json"), status_code=code)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
            report_schema = Report.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(report_schema.pop("$defs", {}))
            schemas["Report"] = report_schema
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/api/v1/services", tags=["services"])
    def list_services() -> list[dict[str, Any]]:
        return [{
            "id": item.service.id, "name": item.display_name, "bureau": item.bureau, "phase": item.phase,
            "latest": _summary(item.latest) if item.latest else None,
        } for item in store.overview()]

    @app.get("/api/v1/services/{service_id}/reports", tags=["services"])
    def service_reports(service_id: str, limit: int = Query(100, ge=1, le=1000),
                        offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
        if not valid_service_id(service_id) or store.get_service(service_id) is None:
            raise HTTPException(404, _msg(f"サービス {service_id} はありません。", f"no service {service_id}."))
        found = store.reports_of(service_id, limit=limit, offset=offset)
        return {"service_id": service_id, "total": store.count_reports(service_id),
                "reports": [_summary(r) for r in found]}

    @app.get("/api/v1/reports/{report_id}", tags=["reports"])
    def get_report(report_id: int) -> dict[str, Any]:
        # An id no database column can hold names no report (and would overflow the driver: 500).
        found = store.get_report(report_id) if 1 <= report_id <= MAX_ROW_ID else None
        if found is None:
            raise HTTPException(404, _msg(f"報告 {report_id} はありません。", f"no report {report_id}."))
        stored, payload = found
        return {**_summary(stored), "service_id": stored.service_id, "report": json.loads(payload)}

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "schema_version": store.schema_version()}

    @app.get("/", response_class=HTMLResponse, tags=["dashboard"])
    def home(bureau: str | None = None, phase: str | None = None, lang: str = "ja") -> HTMLResponse:
        return HTMLResponse(dashboard.overview_page(store.overview(), bureau or None, phase or None, lang,
                                                    settings.contact_url, store.org_values()))

    @app.get("/services/{service_id}", response_class=HTMLResponse, tags=["dashboard"])
    def service_page(service_id: str, lang: str = "ja") -> HTMLResponse:
        service = store.get_service(service_id) if valid_service_id(service_id) else None
        if service is None:
            return HTMLResponse(dashboard.not_found_page(service_id, lang, settings.contact_url), status_code=404)
        history = store.reports_of(service_id, limit=service_html.HISTORY_LIMIT)[::-1]  # the newest, in time order
        latest = store.get_report(history[-1].id) if history else None
        return HTMLResponse(service_html.service_page(service, history, latest, lang, settings.contact_url))

    @app.get("/static/tracker.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(layout.STYLESHEET, media_type="text/css",
                        headers={"cache-control": "public, max-age=3600"})

    @app.get("/opendata/scores.csv", tags=["open data"])
    def scores_csv() -> Response:
        return Response(opendata.scores_csv(store.overview()), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'inline; filename="scores.csv"'})

    @app.get("/opendata/kpis.csv", tags=["open data"])
    def kpis_csv() -> Response:
        return Response(opendata.kpis_csv(store.overview()), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'inline; filename="kpis.csv"'})

    @app.get("/opendata/indicators.csv", tags=["open data"])
    def indicators_csv() -> Response:
        """The organisation's quality indicators as entered, every dated value (the KGI first)."""
        return Response(opendata.indicators_csv(store.org_values()), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'inline; filename="indicators.csv"'})

    @app.get("/opendata/datapackage.json", tags=["open data"])
    def data_package() -> JSONResponse:
        """Field definitions of the CSV files (Frictionless Data Package)."""
        return JSONResponse(opendata.datapackage())

    @app.get("/opendata/scores.json", tags=["open data"])
    def scores_json() -> JSONResponse:
        return JSONResponse(opendata.scores_json(store.overview()))

    app.include_router(org_api.router)
    app.add_middleware(SecurityHeaders)
    # outermost: refuses before parsing
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, timeout=settings.body_timeout_s)
    return app


SETTINGS_VARIABLE = "GUIDELINE_LINT_TRACKER_SETTINGS"


def app_from_environment() -> FastAPI:
    """The app of one worker process: ``serve`` hands the settings over in an environment variable."""
    raw = json.loads(os.environ[SETTINGS_VARIABLE])
    raw["retention"] = RetentionPolicy(**raw["retention"])
    return create_app(Settings(**raw))


def serve(settings: Settings, host: str, port: int, *, workers: int = 1, max_connections: int = 200,
          log_level: str = "warning") -> None:
    """Run on uvicorn. Several workers are separate processes (scoring is CPU work the GIL would serialise);
    they share the database, which orders their writes."""
    options: dict[str, Any] = {"host": host, "port": port, "max_connections": max_connections,
                               "header_timeout": settings.header_timeout_s, "log_level": log_level}
    if workers == 1:
        uvicorn.Server(uvicorn_config(create_app(settings), **options)).run()
        return
    os.environ[SETTINGS_VARIABLE] = json.dumps(dataclasses.asdict(settings))
    config = uvicorn_config("guideline_lint.tracker.server:app_from_environment", factory=True, workers=workers,
                            **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
