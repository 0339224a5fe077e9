"""Uploading reports to the tracker: validate, send with retries, spool when unreachable, flush later.

Standard library only (urllib), so ``guideline-lint upload`` works without the tracker extra.
The spool keeps reports, never tokens: ``upload --flush`` takes the token again.
"""

from __future__ import annotations

import hashlib
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
from urllib.parse import urlsplit

from pydantic import ValidationError

from guideline_lint.errors import EnvironmentProblem, InputError
from guideline_lint.model import Report, Text

RETRY_STATUSES = {429, 500, 502, 503, 504}
ENDPOINT = "/api/v1/reports"


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
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {e.message[:200]}" for e in errors[:5]]


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
                                         for e in exc.errors()[:5])
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
        return "; ".join(f"{'.'.join(str(p) for p in d.get('loc', []))}: {d.get('msg')}" for d in detail[:5])
    return str(detail or body)


def post(url: str, token: str, body: bytes, *, retries: int = 4, timeout: float = 30.0, backoff: float = 0.5,
         sleep: Callable[[float], None] = time.sleep) -> tuple[int, dict[str, Any]]:
    """POST with exponential backoff and jitter on network errors and 429/5xx; returns the final answer."""
    last: str = ""
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "User-Agent": "guideline-lint-upload"})
        retry_after: float | None = None
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                answer = json.loads(exc.read() or b"{}")
            except json.JSONDecodeError:
                answer = {"detail": exc.reason}
            if exc.code not in RETRY_STATUSES:
                return exc.code, answer
            last = f"HTTP {exc.code}"
            header = exc.headers.get("Retry-After") if exc.headers else None
            retry_after = float(header) if header and header.isdigit() else None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            last = str(getattr(exc, "reason", exc))
        if attempt < retries:
            delay = retry_after if retry_after is not None else min(30.0, backoff * 2 ** attempt)
            sleep(delay + random.uniform(0, backoff))
    raise Unreachable(last)


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


def upload(path: Path, tracker: str, token: str, *, spool_dir: Path, lang: str = "ja", retries: int = 4,
           timeout: float = 30.0, backoff: float = 0.5) -> Sent:
    """Send one report; when the tracker cannot be reached, spool it and raise EnvironmentProblem (exit 3)."""
    raw = read_report(path)
    url = endpoint(tracker)
    try:
        status, body = post(url, token, raw, retries=retries, timeout=timeout, backoff=backoff)
    except Unreachable as exc:
        entry = spool(raw, tracker, spool_dir)
        raise EnvironmentProblem(
            Text(ja=f"トラッカーに接続できません（{exc}）。報告を {entry} に保存しました。",
                 en=f"cannot reach the tracker ({exc}). The report was spooled to {entry}."),
            url=url,
            hint=Text(ja="後で `guideline-lint upload --flush --tracker URL` で送信してください。",
                      en="send it later with `guideline-lint upload --flush --tracker URL`."),
        ) from exc
    _check_answer(status, body, url, lang)
    return Sent(status, body, path)


def flush(tracker: str, token: str, *, spool_dir: Path, lang: str = "ja", retries: int = 4, timeout: float = 30.0,
          backoff: float = 0.5) -> tuple[list[Sent], list[tuple[Path, str]]]:
    """Send the spooled reports meant for ``tracker``; returns (sent, rejected with the reason).

    Sent reports leave the spool; rejected ones (invalid, refused) move to ``rejected/`` so one bad
    entry never blocks the rest; when the tracker is unreachable the spool is kept and exit 3 follows.
    """
    url = endpoint(tracker)
    sent: list[Sent] = []
    rejected: list[tuple[Path, str]] = []
    for entry in sorted(spool_dir.glob("*.json")) if spool_dir.is_dir() else []:
        record = json.loads(entry.read_text(encoding="utf-8"))
        if record.get("tracker", "").rstrip("/") != tracker.rstrip("/"):
            continue
        body = json.dumps(record["report"], ensure_ascii=False).encode("utf-8")
        try:
            status, answer = post(url, token, body, retries=retries, timeout=timeout, backoff=backoff)
        except Unreachable as exc:
            raise EnvironmentProblem(
                Text(ja=f"トラッカーに接続できません（{exc}）。{len(sent)} 件送信、残りは保存したままです。",
                     en=f"cannot reach the tracker ({exc}). Sent {len(sent)}; the rest stay spooled."), url=url,
            ) from exc
        if status in (401, 403):
            _check_answer(status, answer, url, lang)  # a token problem concerns every entry: stop here
        if status in (200, 201):
            entry.unlink()
            sent.append(Sent(status, answer, entry))
        else:
            target = spool_dir / "rejected" / entry.name
            target.parent.mkdir(exist_ok=True)
            entry.replace(target)
            rejected.append((target, f"HTTP {status}: {_message(answer, lang)}"))
    return sent, rejected


def is_plain_remote(tracker: str) -> bool:
    """True for http:// to anything but loopback: the token would travel in clear text."""
    parts = urlsplit(tracker)
    return parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1")
