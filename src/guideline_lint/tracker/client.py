"""Uploading reports to the tracker: validate, send with retries, spool when unreachable, flush later.

Standard library only (urllib), so ``guideline-lint upload`` works without the tracker extra.
The spool keeps reports, never tokens: ``upload --flush`` takes the token again.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import os
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import ValidationError

from guideline_lint.errors import EnvironmentProblem, InputError
from guideline_lint.model import Report, Text

RETRY_STATUSES = {429, 500, 502, 503, 504}
ENDPOINT = "/api/v1/reports"
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for more is treated as asking for this much
MAX_REDIRECTS = 3
MAX_ANSWER = 1024 * 1024  # bytes of an answer we read; ours are a few hundred


@dataclass
class Sent:
    status: int
    body: dict[str, Any]
    path: Path | None = None  # the report file or spool entry


class Unreachable(Exception):
    """The tracker did not answer (or kept answering 5xx) after every retry."""


def default_spool_dir() -> Path:
    if os.environ.get("GUIDELINE_LINT_SPOOL"):
        return Path(os.environ["GUIDELINE_LINT_SPOOL"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "guideline-lint" / "spool"


def _schema_problems(data: Any) -> list[str]:
    """Problems against the published report schema (`guideline-lint schema report`), JSON paths first."""
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "report.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{e.json_path}: {_schema_message(e)}" for e in errors[:5]]


def _schema_message(error: Any) -> str:
    """What the schema wants, in the schema's words: jsonschema's own messages quote the offending value, and
    the file given may be any file the user can read, so its contents never appear in the message."""
    if error.validator == "required":
        return str(error.message)[:200]  # names the property of the schema
    if error.validator in ("type", "enum", "const", "pattern", "format", "minimum", "maximum", "minLength",
                           "maxLength", "minItems", "maxItems"):
        return f"does not satisfy {error.validator} {json.dumps(error.validator_value, ensure_ascii=False)[:120]}"
    return f"does not satisfy {error.validator}"


def read_report(path: Path) -> bytes:
    """The file's bytes after checking them against the published report schema and the report model."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Text(ja=f"報告ファイルを読めません: {exc.strerror}",
                              en=f"cannot read the report: {exc.strerror}"), file=str(path)) from exc
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line, column = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (None, None)
        raise InputError(Text(ja=f"JSON として読めません: {exc}", en=f"not valid JSON: {exc}"), file=str(path),
                         line=line, column=column,
                         hint=Text(ja="`guideline-lint check --format json` の出力を指定してください。",
                                   en="give the output of `guideline-lint check --format json`.")) from exc
    problems = "; ".join(_schema_problems(data))
    try:
        Report.model_validate(data)
    except ValidationError as exc:
        problems = problems or "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
                                         for e in exc.errors(include_input=False, include_url=False)[:5])
    if problems:
        raise InputError(Text(ja=f"報告がスキーマに合いません: {problems}", en=f"the report does not match the schema: "
                              f"{problems}"), file=str(path),
                         hint=Text(ja="`guideline-lint schema report` でスキーマを確認できます。",
                                   en="`guideline-lint schema report` prints the schema."))
    return raw


def endpoint(tracker: str) -> str:
    parts = urlsplit(tracker)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(Text(ja=f"トラッカーの URL が不正です: {tracker}", en=f"invalid tracker URL: {tracker}"),
                         hint=Text(ja="例: https://tracker.example.metro.tokyo.lg.jp",
                                   en="e.g. https://tracker.example.metro.tokyo.lg.jp"))
    return tracker.rstrip("/") + ENDPOINT


def _message(body: dict[str, Any], lang: str) -> str:
    detail = body.get("detail")
    if isinstance(detail, dict):
        return str(detail.get(lang) or detail.get("en") or detail)
    if isinstance(detail, list):
        return "; ".join(f"{'.'.join(str(p) for p in d.get('loc', []))}: {d.get('msg')}" for d in detail[:5]
                         if isinstance(d, dict))
    return str(detail or body)


class Unreadable(Unreachable):
    """The tracker answered, but not with an answer we can read (HTML, broken JSON, a redirect elsewhere):
    nothing is known to be stored, so the report is spooled like when the tracker is down."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirect with every header, the token included, to any host; we decide ourselves."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx surfaces as an HTTPError


_opener = urllib.request.build_opener(_NoRedirect)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = -1  # an unreadable port never equals ours
    return parts.scheme, (parts.hostname or "").lower(), port


def retry_after(header: str | None) -> float | None:
    """Seconds the server asks us to wait (a number or an HTTP date), capped: a day would stall CI."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        seconds = float(header)
    else:
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _json_object(raw: bytes) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is anything else (not UTF-8, not JSON, not an object)."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _accepted(status: int, raw: bytes) -> dict[str, Any]:
    """A 200/201 body that says what the tracker did; anything else means we do not know if it stored it."""
    body = _json_object(raw)
    stored = body.get("stored") if body else None
    valid = (body is not None and type(body.get("id")) is int and isinstance(stored, bool)
             and stored == (status == 201))
    if not valid:
        raise Unreadable(Text(ja=f"トラッカーの応答（HTTP {status}）を読めません。保存されたか分かりません",
                              en=f"cannot read the tracker's answer (HTTP {status}); it is unknown whether it "
                                 "stored the report"))
    assert body is not None
    return body


def post(url: str, token: str, body: bytes, *, retries: int = 4, timeout: float = 30.0, backoff: float = 0.5,
         sleep: Callable[[float], None] = time.sleep) -> tuple[int, dict[str, Any]]:
    """POST with exponential backoff and jitter on network errors and 429/5xx; returns the final answer.

    Redirects: only 307/308 within the same origin are followed (they keep the method and body); any other
    redirect raises :class:`Unreadable` without sending the token on. Answers of 200/201 must be the
    tracker's JSON, else :class:`Unreadable`."""
    last: str = ""
    hops = 0
    attempt = 0
    while attempt <= retries:
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "User-Agent": "guideline-lint-upload"})
        wait: float | None = None
        try:
            with _opener.open(request, timeout=timeout) as response:
                status, raw = response.status, response.read(MAX_ANSWER)
            if status not in (200, 201):
                raise Unreadable(Text(ja=f"トラッカーの応答が想定外です（HTTP {status}）",
                                      en=f"unexpected answer from the tracker (HTTP {status})"))
            return status, _accepted(status, raw)
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                target = urljoin(url, exc.headers.get("Location", "") if exc.headers else "")
                if exc.code in (307, 308) and _origin(target) == _origin(url) and hops < MAX_REDIRECTS:
                    url, hops = target, hops + 1
                    continue
                raise Unreadable(Text(
                    ja=f"トラッカーが別の場所へ転送しようとしました（HTTP {exc.code} → {_origin_text(target)}）。"
                       "トークンは送っていません。--tracker に正しい URL を指定してください",
                    en=f"the tracker redirected elsewhere (HTTP {exc.code} to {_origin_text(target)}); the token "
                       "was not sent on. Give the right URL with --tracker")) from exc
            try:
                raw = exc.read(MAX_ANSWER)
            except OSError:
                raw = b""
            answer = _json_object(raw) or {"detail": f"HTTP {exc.code} {exc.reason}"}
            if exc.code not in RETRY_STATUSES:
                return exc.code, answer
            last = f"HTTP {exc.code}"
            wait = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as exc:
            last = str(getattr(exc, "reason", exc))
        if attempt < retries:
            delay = wait if wait is not None else min(30.0, backoff * 2 ** attempt)
            sleep(delay + random.uniform(0, backoff))
        attempt += 1
    raise Unreachable(last)


def _origin_text(url: str) -> str:
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}:{port}" if host else "?"


def spool(raw: bytes, tracker: str, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(raw).hexdigest()
    entry = directory / f"{digest}.json"
    record = {"tracker": tracker, "spooled_at": datetime.now(UTC).isoformat(), "report": json.loads(raw)}
    temporary = entry.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    temporary.replace(entry)  # a crash never leaves half a report in the spool
    return entry


def _check_answer(status: int, body: dict[str, Any], where: str, lang: str) -> None:
    if status in (200, 201):
        return
    if status in (401, 403):
        raise InputError(Text(ja=f"トラッカーが拒否しました（{status}）: {_message(body, 'ja')}",
                              en=f"the tracker refused the upload ({status}): {_message(body, 'en')}"), url=where,
                         hint=Text(ja="--token か GUIDELINE_LINT_TOKEN で、このサービスのトークンを指定してください。",
                                   en="give this service's token with --token or GUIDELINE_LINT_TOKEN."))
    raise InputError(Text(ja=f"トラッカーが受け付けませんでした（{status}）: {_message(body, 'ja')}",
                          en=f"the tracker rejected the report ({status}): {_message(body, 'en')}"), url=where)


def _failure(exc: Unreachable) -> Text:
    if isinstance(exc, Unreadable):
        return exc.message
    return Text(ja=f"トラッカーに接続できません（{exc}）", en=f"cannot reach the tracker ({exc})")


def upload(path: Path, tracker: str, token: str, *, spool_dir: Path, lang: str = "ja", retries: int = 4,
           timeout: float = 30.0, backoff: float = 0.5) -> Sent:
    """Send one report; when the tracker cannot be reached or its answer cannot be read, spool the report and
    raise EnvironmentProblem (exit 3)."""
    raw = read_report(path)
    url = endpoint(tracker)
    try:
        status, body = post(url, token, raw, retries=retries, timeout=timeout, backoff=backoff)
    except Unreachable as exc:
        entry = spool(raw, tracker, spool_dir)
        why = _failure(exc)
        raise EnvironmentProblem(
            Text(ja=f"{why.ja}。報告を {entry} に保存しました。", en=f"{why.en}. The report was spooled to {entry}."),
            url=url,
            hint=Text(ja="後で `guideline-lint upload --flush --tracker URL` で送信してください。",
                      en="send it later with `guideline-lint upload --flush --tracker URL`."),
        ) from exc
    _check_answer(status, body, url, lang)
    return Sent(status, body, path)


def _spooled_body(entry: Path, tracker: str) -> bytes | None:
    """The report of a spool entry meant for ``tracker`` (None: another tracker's). Raises ValueError when the
    entry cannot be read, so the caller can set it aside and go on with the rest."""
    try:
        record = json.loads(entry.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError("unreadable spool entry") from exc
    if not isinstance(record, dict) or not isinstance(record.get("tracker"), str) \
            or not isinstance(record.get("report"), dict):
        raise ValueError("not a spool entry")
    if record["tracker"].rstrip("/") != tracker.rstrip("/"):
        return None
    return json.dumps(record["report"], ensure_ascii=False).encode("utf-8")


def _set_aside(entry: Path, spool_dir: Path) -> Path:
    target = spool_dir / "rejected" / entry.name
    target.parent.mkdir(exist_ok=True)
    entry.replace(target)
    return target


def flush(tracker: str, token: str, *, spool_dir: Path, lang: str = "ja", retries: int = 4, timeout: float = 30.0,
          backoff: float = 0.5) -> tuple[list[Sent], list[tuple[Path, str]]]:
    """Send the spooled reports meant for ``tracker``; returns (sent, rejected with the reason).

    Sent reports leave the spool; rejected ones (invalid, refused) and entries that cannot be read move
    to ``rejected/`` so one bad entry never blocks the rest; when the tracker is unreachable or answers
    unreadably the spool is kept and exit 3 follows.
    """
    url = endpoint(tracker)
    sent: list[Sent] = []
    rejected: list[tuple[Path, str]] = []
    for entry in sorted(spool_dir.glob("*.json")) if spool_dir.is_dir() else []:
        try:
            body = _spooled_body(entry, tracker)
        except ValueError:
            target = _set_aside(entry, spool_dir)
            rejected.append((target, Text(ja="保存された報告が読めません（壊れています）",
                                          en="the spooled entry cannot be read (damaged)").get(lang)))
            continue
        if body is None:
            continue
        try:
            status, answer = post(url, token, body, retries=retries, timeout=timeout, backoff=backoff)
        except Unreachable as exc:
            why = _failure(exc)
            raise EnvironmentProblem(
                Text(ja=f"{why.ja}。{len(sent)} 件送信、残りは保存したままです。",
                     en=f"{why.en}. Sent {len(sent)}; the rest stay spooled."), url=url,
            ) from exc
        if status in (401, 403):
            _check_answer(status, answer, url, lang)  # a token problem concerns every entry: stop here
        if status in (200, 201):
            entry.unlink()
            sent.append(Sent(status, answer, entry))
        else:
            rejected.append((_set_aside(entry, spool_dir), f"HTTP {status}: {_message(answer, lang)}"))
    return sent, rejected


def is_plain_remote(tracker: str) -> bool:
    """True for http:// to anything but loopback: the token would travel in clear text."""
    parts = urlsplit(tracker)
    return parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1")
