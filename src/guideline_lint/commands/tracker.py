"""``guideline-lint tracker serve|add-service|add-editor|indicator|prune``: run and administer the central tracker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import click
from pydantic import ValidationError

from guideline_lint import catalog
from guideline_lint.cli import default_lang, fail_with, lang_option
from guideline_lint.errors import EnvironmentProblem, GuidelineLintError, InputError
from guideline_lint.model import Text
from guideline_lint.tracker.org_input import IndicatorEntry, entry_problems, unknown_indicator

db_option = click.option("--db", envvar="GUIDELINE_LINT_TRACKER_DB", default=None,
                         help="database: an SQLite file path or sqlite:///… (default "
                              "guideline-lint-tracker.sqlite3), or postgresql://user@host/db")
retention_days = click.option("--retention-days", type=click.IntRange(1), default=90, show_default=True,
                              help="keep every report of this many days")
retention_months = click.option("--retention-months", type=click.IntRange(0), default=None,
                                help="for older reports keep one per month for this many months (default: forever)")


def _store(db: str | None) -> Any:
    """The database, or exit 3 naming the extra to install when the server's libraries are missing."""
    try:
        import fastapi  # noqa: F401 - checked here so `serve` fails before it starts anything
        import uvicorn  # noqa: F401

        from guideline_lint.tracker.storage import Store
    except ImportError as exc:
        raise EnvironmentProblem(
            Text(ja=f"トラッカーの部品がインストールされていません: {exc.name}",
                 en=f"the tracker's parts are not installed: {exc.name}"),
            hint=Text(ja="pip install 'guideline-lint[tracker]' を実行してください。",
                      en="run pip install 'guideline-lint[tracker]'."),
        ) from exc
    return Store(db)


def _in_store(db: str | None, action: Callable[[Any], Any]) -> Any:
    """``action(store)`` on the migrated database, which is closed afterwards."""
    store = _store(db)
    try:
        store.migrate()
        return action(store)
    finally:
        store.dispose()


@click.group()
def tracker() -> None:
    """The central tracker: collects reports and shows every service principle by principle."""


@tracker.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--max-body", type=click.IntRange(1024), default=5 * 1024 * 1024, show_default=True,
              help="largest accepted report in bytes (413 beyond)")
@click.option("--max-uploads", type=click.IntRange(1, 256), default=4, show_default=True,
              help="uploads scored and stored at the same time")
@click.option("--max-connections", type=click.IntRange(1), default=200, show_default=True,
              help="open connections (per worker) before answering 503")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="server processes (use the number of cores for heavy upload traffic)")
@click.option("--contact", default=None, help="contact page or mailto: of the operators (linked on every page)")
@retention_days
@retention_months
@lang_option
def serve(db: str | None, host: str, port: int, max_body: int, max_uploads: int, max_connections: int,
          workers: int, contact: str | None, retention_days: int, retention_months: int | None,
          lang: str | None) -> None:
    """Run the tracker's API, dashboard and open data on HOST:PORT."""
    lang = lang or default_lang()
    try:
        store = _store(db)
        store.migrate()
        from guideline_lint.tracker.retention import RetentionPolicy
        from guideline_lint.tracker.server import Settings
        from guideline_lint.tracker.server import serve as run
        from guideline_lint.tracker.storage import safe_url

        settings = Settings(db=db, max_body_bytes=max_body, max_concurrent_uploads=max_uploads,
                            retention=RetentionPolicy(retention_days, retention_months), contact_url=contact)
        click.echo(Text(ja=f"トラッカーを起動します: http://{host}:{port}/ （データベース {safe_url(store.url)}）",
                        en=f"tracker listening on http://{host}:{port}/ (database {safe_url(store.url)})").get(lang),
                   err=True)
        store.dispose()
        run(settings, host, port, workers=workers, max_connections=max_connections)
    except GuidelineLintError as error:
        fail_with(error, lang)


@tracker.command("add-service")
@click.argument("service_id")
@db_option
@click.option("--name", default=None, help="display name (Japanese)")
@click.option("--bureau", default=None, help="the bureau (局) running the service")
@click.option("--rotate-token", is_flag=True, help="issue a new token for a registered service")
@lang_option
def add_service(service_id: str, db: str | None, name: str | None, bureau: str | None, rotate_token: bool,
                lang: str | None) -> None:
    """Register SERVICE_ID and print its upload token (shown once, stored only as a hash)."""
    lang = lang or default_lang()
    try:
        from guideline_lint.tracker.storage import valid_service_id

        if not valid_service_id(service_id):
            raise InputError(
                Text(ja=f"サービスID「{service_id}」が不正です。", en=f"invalid service id '{service_id}'."),
                hint=Text(ja="英小文字・数字・ハイフンで 3〜64 文字（digital-service.yaml の service.id）。",
                          en="3–64 lowercase letters, digits and hyphens (service.id of the manifest)."))
        token = _in_store(db, lambda store: store.add_service(service_id, name, bureau, rotate=rotate_token))
    except GuidelineLintError as error:
        fail_with(error, lang)
    click.echo(Text(ja="アップロード用トークン（この一度だけ表示されます。CI のシークレットに保存してください）:",
                    en="upload token (shown only this once; keep it in your CI secrets):").get(lang), err=True)
    click.echo(token)


@tracker.command()
@db_option
@retention_days
@retention_months
@lang_option
def prune(db: str | None, retention_days: int, retention_months: int | None, lang: str | None) -> None:
    """Apply the retention policy now (the server also does it hourly)."""
    lang = lang or default_lang()
    try:
        from guideline_lint.tracker.retention import RetentionPolicy

        deleted = _in_store(db, lambda store: store.prune(RetentionPolicy(retention_days, retention_months)))
    except GuidelineLintError as error:
        fail_with(error, lang)
    click.echo(Text(ja=f"{deleted} 件の報告を削除しました。", en=f"deleted {deleted} report(s).").get(lang))


@tracker.command("add-editor")
@click.argument("editor_id")
@db_option
@click.option("--rotate-token", is_flag=True, help="issue a new token for a registered editor")
@lang_option
def add_editor(editor_id: str, db: str | None, rotate_token: bool, lang: str | None) -> None:
    """Allow EDITOR_ID (someone of the central bureau) to enter the organisation's indicator values through
    POST /api/v1/indicators, and print their token (shown once, stored only as a hash)."""
    lang = lang or default_lang()
    try:
        token = _in_store(db, lambda store: store.add_editor(editor_id, rotate=rotate_token))
    except GuidelineLintError as error:
        fail_with(error, lang)
    click.echo(Text(ja="指標入力用トークン（この一度だけ表示されます）:",
                    en="indicator token (shown only this once):").get(lang), err=True)
    click.echo(token)


@tracker.group()
def indicator() -> None:
    """The organisation's own indicator values (KGI survey, 都庁側 indicators), entered by the central bureau."""


@indicator.command("set")
@click.argument("indicator_id", metavar="INDICATOR")
@click.argument("value")
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="the day it was measured")
@click.option("--target", default=None, help="a target set for it (default: the code of conduct's, if any)")
@click.option("--source", default=None, help="the survey or record it comes from")
@click.option("--by", "editor", default="cli", show_default=True, help="who enters it (kept with the value)")
@db_option
@lang_option
def indicator_set(indicator_id: str, value: str, day: Any, target: str | None, source: str | None, editor: str,
                  db: str | None, lang: str | None) -> None:
    """Store VALUE of INDICATOR for --date (the same day again replaces it). Ratios as 0.62 or 62%."""
    lang = lang or default_lang()
    try:
        entry = entry_of({"indicator": indicator_id, "date": day.date(), "value": value, "target": target,
                          "source": source}, datetime.now(UTC).date())
        stored, created = _in_store(db, lambda store: store.set_org_value(
            entry.indicator, entry.date, entry.value, entry.target, entry.source, editor))
    except GuidelineLintError as error:
        fail_with(error, lang)
    click.echo(Text(ja=f"{stored.indicator_id} の {stored.measured_on} の値 {stored.value:g} を"
                       f"{'保存し' if created else '置き換え'}ました。",
                    en=f"{'stored' if created else 'replaced'} {stored.indicator_id} = {stored.value:g} for "
                       f"{stored.measured_on}.").get(lang))


@indicator.command("list")
@db_option
@lang_option
def indicator_list(db: str | None, lang: str | None) -> None:
    """Every indicator with its latest entered value (未入力 when there is none) and target."""
    lang = lang or default_lang()
    try:
        entered = _in_store(db, lambda store: store.org_values())
    except GuidelineLintError as error:
        fail_with(error, lang)
    for info in catalog.indicators().values():
        values = entered.get(info.id, [])
        latest = f"{values[-1].value:g} ({values[-1].measured_on})" if values else \
            Text(ja="未入力", en="not entered").get(lang)
        target = "" if info.target is None else f"  target {info.target:g}"
        click.echo(f"{info.id}\t{info.title.get(lang)}\t{latest}{target}")


def entry_of(raw: dict[str, Any], today: Any) -> IndicatorEntry:
    """The entry as the API would take it (same rules), or InputError listing every problem."""
    info = catalog.indicators().get(raw["indicator"])
    problems = unknown_indicator(raw["indicator"]) if info is None else []
    for name in ("value", "target"):
        text = raw[name]
        if isinstance(text, str) and text.strip().endswith("%") and info is not None and info.unit == "ratio":
            raw[name] = _percent(text)
    try:
        entry = IndicatorEntry.model_validate(raw)
        problems = problems or entry_problems(entry, today)
    except ValidationError as exc:
        problems += [{"loc": ["", *e["loc"]], "msg": e["msg"], "msg_ja": e["msg"]}
                    for e in exc.errors(include_url=False, include_input=False)]
    if problems:
        raise InputError(Text(ja="; ".join(f"{p['loc'][-1]}: {p['msg_ja']}" for p in problems),
                              en="; ".join(f"{p['loc'][-1]}: {p['msg']}" for p in problems)),
                         hint=Text(ja="guideline-lint tracker indicator list で指標と値を確認できます。",
                                   en="guideline-lint tracker indicator list shows the indicators and values."))
    return entry


def _percent(text: str) -> float | str:
    try:
        return float(text.strip()[:-1]) / 100
    except ValueError:
        return text
