"""HTTP answers of pages: ``http_status``, ``http_header``, ``cookie_flags``, ``https_redirect``."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import (
    LOCAL_FILE,
    LOCAL_SITE,
    LOOPBACK_REASON,
    NOT_HTML,
    NOT_HTTPS,
    nodes_at,
    pages_of,
)
from guideline_lint.model import Location, Status, Target, Text


class HttpStatusParams(Params):
    pass


class HttpStatusKind(Kind):
    name = "http_status"
    target = Target.PAGE
    Params = HttpStatusParams
    summary = Text(ja="ページが正常に応答する（4xx/5xx でない）。応答がない・遅すぎるページは検査できなかったエラー",
                   en="the page answers normally (no 4xx/5xx); no answer in time is an error, not a failure")
    judges_unaudited_pages = True

    def evaluate(self, params: HttpStatusParams, facts: Facts) -> list[Observation]:
        out = []
        for page in facts.pages or []:  # every page, audited or not: the pipeline hands this kind all of them
            detail = {"status": page.status, "redirects": len(page.redirects)}
            location = Location(url=page.url, value=str(page.status) if page.status else None)
            if page.error_kind == "http" or (page.status or 0) >= 400:  # the server said so: 4xx/5xx, redirect loop
                error = page.error or f"HTTP {page.status}"
                out.append(Observation(Status.FAIL, subject=page.url, location=location,
                                       detail={**detail, "error": error}))
            elif page.error:
                # No answer in time, unreachable, refused, a browser crash: the audit could not tell, so an error. A
                # slow page under a loaded auditor is no proof the service is down (issue #12).
                out.append(Observation(Status.ERROR, subject=page.url, location=location, detail=detail,
                                       reason=Text(ja=f"ページを検査できませんでした: {page.error_in('ja')}",
                                                   en=f"the page could not be audited: {page.error}")))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=location, detail=detail))
        return out


class HeaderRule(Params):
    header: str = Field(min_length=1)
    pattern: str | None = Field(None, description="regular expression the value must match (case-insensitive)")
    max_age_min: float | None = Field(None, ge=0, description="the value's max-age must be at least this (seconds)")


class HttpHeaderParams(Params):
    any_of: list[HeaderRule] = Field(min_length=1, description="passes when one of these headers is right")
    https_only: bool = Field(False, description="not applicable on http pages (e.g. HSTS)")
    html_only: bool = True


def header_ok(page: Any, rule: HeaderRule) -> bool:
    value = page.header(rule.header)
    if value is None:
        return False
    if rule.max_age_min is not None:
        age = _MAX_AGE.search(value)
        if age is None or int(age.group(1)) < rule.max_age_min:
            return False
    return rule.pattern is None or re.search(rule.pattern, value, re.IGNORECASE) is not None


_MAX_AGE = re.compile(r'max-age\s*=\s*"?(\d+)', re.IGNORECASE)


class HttpHeaderKind(Kind):
    name = "http_header"
    target = Target.PAGE
    Params = HttpHeaderParams
    summary = Text(ja="HTTP 応答ヘッダーが設定されている", en="an HTTP response header is set")

    def evaluate(self, params: HttpHeaderParams, facts: Facts) -> list[Observation]:
        out = []
        names = " / ".join(rule.header for rule in params.any_of)
        for page in pages_of(facts):
            location = Location(url=page.url)
            if page.local_file:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location, reason=LOCAL_FILE))
            elif params.https_only and not page.is_https:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location, reason=NOT_HTTPS))
            elif params.html_only and not page.is_html:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location, reason=NOT_HTML))
            elif any(header_ok(page, rule) for rule in params.any_of):
                out.append(Observation(Status.PASS, subject=page.url, location=location, detail={"header": names}))
            else:
                values = "; ".join(
                    f"{r.header}: {page.header(r.header)}" for r in params.any_of if page.header(r.header)
                )
                location = Location(url=page.url, value=values[:200] or None)
                # No such header: said in words, not as "(-)".
                out.append(Observation(Status.FAIL, subject=page.url, location=location,
                                       detail={"header": names, "value": values or "not sent",
                                               "value_ja": values or "応答にありません",
                                               "value_en": values or "not sent"}))
        return out


class CookieFlagsParams(Params):
    secure: bool = True
    httponly_names: str | None = Field(
        r"(?i)sess|sid|auth|token|jwt|login|csrf",
        description="cookies whose name matches must be HttpOnly (None: every cookie)",
    )
    samesite: bool = True


class CookieFlagsKind(Kind):
    name = "cookie_flags"
    target = Target.PAGE
    Params = CookieFlagsParams
    summary = Text(ja="Cookie に Secure・HttpOnly・SameSite が付いている",
                   en="cookies carry Secure, HttpOnly and SameSite")

    def evaluate(self, params: CookieFlagsParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            if page.local_file:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=LOCAL_FILE))
                continue
            if not page.cookies:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=Text(ja="Cookie を設定していません", en="sets no cookies")))
                continue
            problems = []
            for cookie in page.cookies:
                missing = []
                # Secure cannot be set over plain http; judged on https pages only.
                if params.secure and page.is_https and not cookie["secure"]:
                    missing.append("Secure")
                if (params.httponly_names is None or re.search(params.httponly_names, cookie["name"])) and not cookie[
                    "httponly"
                ]:
                    missing.append("HttpOnly")
                if params.samesite and not cookie["samesite"]:
                    missing.append("SameSite")
                if cookie["samesite"] == "None" and not cookie["secure"]:
                    missing.append("Secure (SameSite=None)")
                if missing:
                    problems.append({"selector": f"Set-Cookie: {cookie['name']}",
                                     "snippet": f"{cookie['raw']}  (missing: {', '.join(missing)})"})
            if problems:
                location, occurrences, more = nodes_at(problems, page.url)
                out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                       more_occurrences=more, detail={"count": len(problems)}))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url)))
        return out




class HttpsRedirectParams(Params):
    pass


class HttpsRedirectKind(Kind):
    name = "https_redirect"
    target = Target.PAGE
    Params = HttpsRedirectParams
    summary = Text(ja="https で提供し、http からは https へ転送する", en="served over https; http redirects to https")

    def needs(self, params: HttpsRedirectParams) -> Needs:
        return Needs(page_facts={"http_variant"})

    def evaluate(self, params: HttpsRedirectParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            location = Location(url=page.url)
            if page.is_loopback:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location,
                                       reason=LOCAL_SITE if page.local_file else LOOPBACK_REASON))
            elif not page.is_https:
                out.append(Observation(Status.FAIL, subject=page.url, location=location,
                                       detail={"problem": "served over plain http"}))
            else:
                variant = page.http_variant or {}
                target = variant.get("location") or ""
                if variant.get("status") in (301, 302, 303, 307, 308) and target.startswith("https://"):
                    out.append(Observation(Status.PASS, subject=page.url, location=location))
                elif variant.get("error"):
                    # No http listener at all is fine: nothing can be served insecurely.
                    out.append(Observation(Status.PASS, subject=page.url, location=location,
                                           detail={"problem": "http not served"}))
                else:
                    out.append(Observation(Status.FAIL, subject=page.url,
                                           location=Location(url=variant.get("url"), value=str(variant.get("status"))),
                                           detail={"problem": f"http answers {variant.get('status')} without "
                                                              "redirecting to https"}))
        return out


KINDS: list[type[Kind]] = [HttpStatusKind, HttpHeaderKind, CookieFlagsKind, HttpsRedirectKind]
