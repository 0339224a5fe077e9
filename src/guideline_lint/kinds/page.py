"""Kinds that judge audited pages (``Facts.pages``, one ``PageFacts`` per URL): one observation per page.

- ``wcag_sc``: one JIS X 8341-3 / WCAG success criterion: the axe rules mapped to it, markup checks on
  the served HTML, in-page scripts, and ``manual`` when a person has to look;
- ``axe``: axe-core rules by id or by success criterion;
- ``dom``: a small script evaluated in the page that returns a status and the offending elements;
- ``http_status``, ``http_header``, ``cookie_flags``, ``security_txt``, ``https_redirect``,
  ``mixed_content``, ``form_fields``.

Nothing heavy is imported here: the browser work happened in ``collect/pages.py``. ``page_scripts``
tells the collector which in-page scripts the checks need.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Literal

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.model import Location, Status, Target, Text

MAX_OCCURRENCES = 20

# Rules about the root <html> document: meaningless on SVG or XML documents (where axe still fires them).
HTML_DOCUMENT_RULES = {
    "html-has-lang", "html-lang-valid", "html-xml-lang-mismatch", "document-title", "bypass", "meta-viewport",
    "landmark-one-main", "page-has-heading-one", "region",
}

NOT_HTML = Text(ja="HTML 文書ではありません", en="not an HTML document")
LOOPBACK_REASON = Text(
    ja="127.0.0.1 のテスト用サーバーでは判定しません（本番の URL で確認してください）",
    en="not judged on a 127.0.0.1 test server (check the production URL)",
)
LOCAL_FILE = Text(
    ja="リポジトリの HTML を検査用サーバーで配信しているため、本番の応答ヘッダーではありません"
    "（公開 URL で確認してください）",
    en="a repository file served by the audit's own server: not the production headers (check the live URL)",
)
NOT_HTTPS = Text(ja="https のページにだけ適用されます", en="applies to https pages only")


def script_key(script: str) -> str:
    """A stable name for an in-page script: the same text gives the same key in collector and kind."""
    return "dom-" + hashlib.sha1(script.encode("utf-8")).hexdigest()[:12]


def _pages(facts: Facts) -> list[Any]:
    return list(facts.pages or [])


def _page_error(page: Any) -> Observation | None:
    if page.error:
        return Observation(
            Status.ERROR,
            subject=page.url,
            location=Location(url=page.url),
            reason=Text(
                ja=f"ページを検査できませんでした: {page.error}", en=f"the page could not be audited: {page.error}"
            ),
        )
    return None


def _nodes(nodes: list[dict[str, Any]], url: str, total: int | None = None) -> tuple[Location, list[Location], int]:
    """The first node as the location, the next ones as occurrences (capped), and how many more."""
    locations = [Location(url=url, selector=n.get("selector") or None, snippet=n.get("snippet") or None) for n in nodes]
    count = max(total or 0, len(locations))
    if not locations:
        return Location(url=url), [], 0
    shown = locations[1 : MAX_OCCURRENCES + 1]
    return locations[0], shown, max(0, count - 1 - len(shown))


# --------------------------------------------------------------------------- axe


def _axe_rules_for(rules: list[str], wcag: list[str], exclude: list[str]) -> list[str]:
    from guideline_lint.jis import criteria

    selected = list(rules)
    table = criteria()
    for sc in wcag:
        if sc in table:
            selected.extend(table[sc].axe_rules)
    return [r for r in dict.fromkeys(selected) if r not in exclude]


def _judge_axe(page: Any, rules: list[str]) -> tuple[Status, list[dict[str, Any]], int, list[str]]:
    """(status, nodes, node count, rule ids involved) of the given axe rules on one page.

    NOT_APPLICABLE when no rule found anything to test."""
    axe = page.axe or {}
    if not page.is_html:
        rules = [r for r in rules if r not in HTML_DOCUMENT_RULES]
    for bucket, status in (("violations", Status.FAIL), ("incomplete", Status.MANUAL)):
        hits = [axe[bucket][r] for r in rules if r in axe.get(bucket, {})]
        if hits:
            nodes = [n for hit in hits for n in hit["nodes"]]
            return status, nodes, sum(hit["count"] for hit in hits), [hit["id"] for hit in hits]
    passed = [r for r in rules if r in set(axe.get("passes", []))]
    if passed:
        return Status.PASS, [], 0, passed
    return Status.NOT_APPLICABLE, [], 0, []


class AxeParams(Params):
    rules: list[str] = Field(default_factory=list, description="axe-core rule ids")
    wcag: list[str] = Field(default_factory=list, description="success criteria: their mapped axe rules are used")
    exclude: list[str] = Field(default_factory=list, description="axe rule ids to leave out")


class AxeKind(Kind):
    name = "axe"
    target = Target.PAGE
    Params = AxeParams
    summary = Text(ja="axe-core のルールで違反がない", en="no violation of the given axe-core rules")

    def evaluate(self, params: AxeParams, facts: Facts) -> list[Observation]:
        rules = _axe_rules_for(params.rules, params.wcag, params.exclude)
        out = []
        for page in _pages(facts):
            out.append(_page_error(page) or _axe_observation(page, rules))
        return out

    def needs(self, params: AxeParams) -> Needs:
        return Needs(axe_rules=set(_axe_rules_for(params.rules, params.wcag, params.exclude)))


def _axe_observation(page: Any, rules: list[str]) -> Observation:
    if page.axe is None:
        return Observation(Status.ERROR, subject=page.url, location=Location(url=page.url),
                           reason=Text(ja="axe-core の結果がありません", en="no axe-core results"))
    status, nodes, count, involved = _judge_axe(page, rules)
    location, occurrences, more = _nodes(nodes, page.url, count)
    reason = None
    if status == Status.NOT_APPLICABLE:
        reason = Text(ja="このページに対象の要素がありません", en="nothing on this page that these rules test")
    return Observation(status, subject=page.url, location=location, occurrences=occurrences, more_occurrences=more,
                       detail={"count": count, "rules": ", ".join(involved)}, reason=reason,
                       metrics={"nodes": float(count)} if status == Status.FAIL else {})


# --------------------------------------------------------------------------- markup of the served HTML


class _MarkupScan(HTMLParser):
    """Duplicate attributes on one element and duplicate id values, as the parser sees the source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, list[tuple[int, str]]] = {}
        self.duplicate_attributes: list[tuple[int, str]] = []
        self._in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "template":
            self._in_template += 1
        line = self.getpos()[0]
        raw = (self.get_starttag_text() or f"<{tag}>")[:200]
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.duplicate_attributes.append((line, raw))
        if self._in_template:
            return  # template contents are not in the document
        for name, value in attrs:
            if name == "id" and value and value.strip():
                self.ids.setdefault(value, []).append((line, raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "template":
            self._in_template -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self._in_template:
            self._in_template -= 1


def scan_markup(source: str) -> _MarkupScan:
    scanner = _MarkupScan()
    try:
        scanner.feed(source)
        scanner.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it saw
        pass
    return scanner


MarkupTest = Literal["duplicate_id", "duplicate_attribute"]


def _judge_markup(page: Any, tests: list[str]) -> tuple[Status, list[dict[str, Any]]]:
    if page.source is None or not page.is_html:
        return Status.NOT_APPLICABLE, []
    scan = scan_markup(page.source)
    nodes: list[dict[str, Any]] = []
    if "duplicate_attribute" in tests:
        nodes += [{"selector": f"line {line}", "snippet": raw} for line, raw in scan.duplicate_attributes]
    if "duplicate_id" in tests:
        for value, places in scan.ids.items():
            if len(places) > 1:
                nodes += [{"selector": f"line {line} (id={value})", "snippet": raw} for line, raw in places]
    return (Status.FAIL, nodes) if nodes else (Status.PASS, [])


# --------------------------------------------------------------------------- dom scripts


def _judge_script(page: Any, script: str) -> tuple[Status, list[dict[str, Any]], int, dict[str, Any], Text | None]:
    """Read a dom script's result: {status, nodes?, count?, detail?, reason?}; ERROR if it failed or did not run."""
    result = page.dom.get(script_key(script))
    if not isinstance(result, dict):
        return Status.ERROR, [], 0, {}, Text(ja="ページ内スクリプトが実行されていません",
                                             en="the in-page script did not run")
    if result.get("error"):
        message = str(result["error"])[:200]
        return Status.ERROR, [], 0, {}, Text(ja=f"ページ内スクリプトのエラー: {message}",
                                             en=f"the in-page script failed: {message}")
    try:
        status = Status(result.get("status", "pass"))
    except ValueError:
        return Status.ERROR, [], 0, {}, Text(ja=f"不明な結果: {result.get('status')}",
                                             en=f"unknown result: {result.get('status')}")
    nodes = result.get("nodes") or []
    reason = None
    if result.get("reason"):
        reason = Text(ja=str(result.get("reason_ja") or result["reason"]), en=str(result["reason"]))
    return status, nodes, int(result.get("count") or len(nodes)), dict(result.get("detail") or {}), reason


class DomParams(Params):
    script: str = Field(
        min_length=1,
        description="body of an async JS function run in the page; returns {status: pass|fail|manual|"
        "not_applicable, nodes: [gl.node(el)…], count, detail, reason}. `gl` offers selector, snippet, node, "
        "visible, text.",
    )
    html_only: bool = Field(True, description="not applicable on SVG/XML documents")


class DomKind(Kind):
    name = "dom"
    target = Target.PAGE
    Params = DomParams
    summary = Text(ja="ページ内で評価したスクリプトの判定", en="the verdict of a script evaluated in the page")

    def evaluate(self, params: DomParams, facts: Facts) -> list[Observation]:
        out = []
        for page in _pages(facts):
            error = _page_error(page)
            if error:
                out.append(error)
                continue
            if params.html_only and not page.is_html:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=NOT_HTML))
                continue
            status, nodes, count, detail, reason = _judge_script(page, params.script)
            location, occurrences, more = _nodes(nodes, page.url, count)
            out.append(Observation(status, subject=page.url, location=location, occurrences=occurrences,
                                   more_occurrences=more, detail={"count": count, **detail}, reason=reason))
        return out

    def needs(self, params: DomParams) -> Needs:
        return Needs(page_scripts={script_key(params.script): params.script})


# --------------------------------------------------------------------------- one success criterion


class WcagParams(Params):
    sc: str = Field(pattern=r"^\d\.\d\.\d{1,2}$", description="success criterion, e.g. 1.1.1")
    axe: bool = Field(True, description="use the axe rules mapped to the criterion")
    axe_rules: list[str] = Field(default_factory=list, description="further axe rules")
    axe_exclude: list[str] = Field(default_factory=list)
    markup: list[MarkupTest] = Field(default_factory=list, description="tests on the served HTML source")
    scripts: list[str] = Field(default_factory=list, description="dom scripts, as for the dom kind")
    incomplete: Literal["manual", "ignore"] = Field(
        "manual", description="what axe's 'incomplete' (needs review) results mean: manual, or nothing"
    )
    keyboard_trap: bool = Field(
        False, description="fail on a keyboard trap found by pressing Tab through the page (manual when the "
        "page gives key instructions, which may describe a way out)"
    )
    manual_when: str | None = Field(
        None, description="CSS selector: when no failure is found and the page has such elements, a person "
        "must still confirm (manual); '*' for every page"
    )


def manual_probe(selector: str) -> str:
    from json import dumps

    if selector == "*":
        return "return {status: 'manual'};"
    return (
        f"const found = Array.from(document.querySelectorAll({dumps(selector)}));\n"
        "return found.length ? {status: 'manual', nodes: found.slice(0, 20).map(gl.node), count: found.length}"
        " : {status: 'not_applicable'};"
    )


class WcagKind(Kind):
    name = "wcag_sc"
    target = Target.PAGE
    Params = WcagParams
    summary = Text(
        ja="JIS X 8341-3 / WCAG の達成基準: axe、マークアップ、ページ内スクリプト、目視確認",
        en="a JIS X 8341-3 / WCAG success criterion: axe, markup, in-page scripts, human review",
    )

    def evaluate(self, params: WcagParams, facts: Facts) -> list[Observation]:
        rules = _axe_rules_for(params.axe_rules, [params.sc] if params.axe else [], params.axe_exclude)
        out = []
        for page in _pages(facts):
            out.append(_page_error(page) or self._one(params, page, rules))
        return out

    def _one(self, params: WcagParams, page: Any, rules: list[str]) -> Observation:
        results: list[tuple[Status, list[dict[str, Any]], int, str]] = []
        errors: list[Text] = []
        if rules:
            if page.axe is None:
                errors.append(Text(ja="axe-core の結果がありません", en="no axe-core results"))
            else:
                status, nodes, count, involved = _judge_axe(page, rules)
                if status == Status.MANUAL and params.incomplete == "ignore":
                    status, nodes, count = Status.NOT_APPLICABLE, [], 0
                results.append((status, nodes, count, "axe: " + ", ".join(involved)))
        if params.markup:
            status, nodes = _judge_markup(page, list(params.markup))
            results.append((status, nodes, len(nodes), "markup"))
        for script in params.scripts:
            if not page.is_html:
                continue
            status, nodes, count, _detail, reason = _judge_script(page, script)
            if status == Status.ERROR:
                errors.append(reason or Text(ja="スクリプトエラー", en="script error"))
            else:
                results.append((status, nodes, count, "script"))
        if params.keyboard_trap and page.keyboard and page.keyboard.get("walked"):
            trapped = page.keyboard.get("trapped") or []
            if not trapped:
                results.append((Status.PASS, [], 0, "keyboard"))
            else:
                status = Status.MANUAL if page.keyboard.get("instructions") else Status.FAIL
                results.append((status, trapped, len(trapped), "keyboard: focus does not leave these elements"))
        if params.manual_when and page.is_html:
            status, nodes, count, _detail, reason = _judge_script(page, manual_probe(params.manual_when))
            if status == Status.ERROR:
                errors.append(reason or Text(ja="スクリプトエラー", en="script error"))
            else:
                results.append((status, nodes, count, "manual"))
        failed = [r for r in results if r[0] == Status.FAIL]
        if failed:
            nodes = [n for r in failed for n in r[1]]
            count = sum(r[2] for r in failed)
            location, occurrences, more = _nodes(nodes, page.url, count)
            return Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                               more_occurrences=more, metrics={"nodes": float(count)},
                               detail={"count": count, "sc": params.sc, "tests": "; ".join(r[3] for r in failed)})
        if errors:
            return Observation(Status.ERROR, subject=page.url, location=Location(url=page.url), reason=errors[0])
        manual = [r for r in results if r[0] == Status.MANUAL]
        if manual:
            nodes = [n for r in manual for n in r[1]]
            count = sum(r[2] for r in manual)
            location, occurrences, more = _nodes(nodes, page.url, count)
            return Observation(Status.MANUAL, subject=page.url, location=location, occurrences=occurrences,
                               more_occurrences=more, detail={"count": count, "sc": params.sc},
                               reason=Text(ja="目視での確認が必要です", en="needs a check by a person"))
        if any(r[0] == Status.PASS for r in results):
            return Observation(Status.PASS, subject=page.url, location=Location(url=page.url),
                               detail={"count": 0, "sc": params.sc})
        return Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                           detail={"count": 0, "sc": params.sc},
                           reason=Text(ja="このページに対象の要素がありません", en="nothing on this page to test"))

    def needs(self, params: WcagParams) -> Needs:
        scripts = list(params.scripts)
        if params.manual_when:
            scripts.append(manual_probe(params.manual_when))
        rules = _axe_rules_for(params.axe_rules, [params.sc] if params.axe else [], params.axe_exclude)
        return Needs(axe_rules=set(rules), page_scripts={script_key(script): script for script in scripts},
                     page_facts={"keyboard"} if params.keyboard_trap else set())


# --------------------------------------------------------------------------- HTTP


class HttpStatusParams(Params):
    pass


class HttpStatusKind(Kind):
    name = "http_status"
    target = Target.PAGE
    Params = HttpStatusParams
    summary = Text(ja="ページが正常に応答する（4xx/5xx・タイムアウトでない）",
                   en="the page answers normally (no 4xx/5xx, no time-out)")
    judges_unaudited_pages = True

    def evaluate(self, params: HttpStatusParams, facts: Facts) -> list[Observation]:
        out = []
        for page in _pages(facts):
            detail = {"status": page.status, "redirects": len(page.redirects)}
            location = Location(url=page.url, value=str(page.status) if page.status else None)
            if page.error_kind == "http" or (page.status or 0) >= 400:  # the service answered with an error
                error = page.error or f"HTTP {page.status}"
                out.append(Observation(Status.FAIL, subject=page.url, location=location,
                                       detail={**detail, "error": error}))
            elif page.error:  # no answer in time, unreachable, a browser crash: not the service's failure
                out.append(Observation(Status.ERROR, subject=page.url, location=location, detail=detail,
                                       reason=Text(ja=f"ページを検査できませんでした: {page.error}",
                                                   en=f"the page could not be audited: {page.error}")))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=location, detail=detail))
        return out


class HeaderRule(Params):
    header: str = Field(min_length=1)
    pattern: str | None = Field(None, description="regular expression the value must match (case-insensitive)")


class HttpHeaderParams(Params):
    any_of: list[HeaderRule] = Field(min_length=1, description="passes when one of these headers is right")
    https_only: bool = Field(False, description="not applicable on http pages (e.g. HSTS)")
    html_only: bool = True


def _header_ok(page: Any, rule: HeaderRule) -> bool:
    value = page.header(rule.header)
    if value is None:
        return False
    return rule.pattern is None or re.search(rule.pattern, value, re.IGNORECASE) is not None


class HttpHeaderKind(Kind):
    name = "http_header"
    target = Target.PAGE
    Params = HttpHeaderParams
    summary = Text(ja="HTTP 応答ヘッダーが設定されている", en="an HTTP response header is set")

    def evaluate(self, params: HttpHeaderParams, facts: Facts) -> list[Observation]:
        out = []
        names = " / ".join(rule.header for rule in params.any_of)
        for page in _pages(facts):
            if page.status is None or page.error_kind in ("timeout", "network"):
                out.append(_page_error(page) or Observation(Status.ERROR, subject=page.url))
                continue
            location = Location(url=page.url)
            if page.local_file:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location, reason=LOCAL_FILE))
            elif params.https_only and not page.is_https:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location, reason=NOT_HTTPS))
            elif params.html_only and not page.is_html:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location, reason=NOT_HTML))
            elif any(_header_ok(page, rule) for rule in params.any_of):
                out.append(Observation(Status.PASS, subject=page.url, location=location, detail={"header": names}))
            else:
                values = "; ".join(
                    f"{r.header}: {page.header(r.header)}" for r in params.any_of if page.header(r.header)
                )
                location = Location(url=page.url, value=values[:200] or None)
                out.append(Observation(Status.FAIL, subject=page.url, location=location,
                                       detail={"header": names, "value": values or "-"}))
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
        for page in _pages(facts):
            if page.status is None:
                out.append(_page_error(page) or Observation(Status.ERROR, subject=page.url))
                continue
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
                location, occurrences, more = _nodes(problems, page.url)
                out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                       more_occurrences=more, detail={"count": len(problems)}))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url)))
        return out


_EXPIRES = re.compile(r"^\s*expires\s*:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)
_CONTACT = re.compile(r"^\s*contact\s*:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def judge_security_txt(text: str, now: datetime) -> list[str]:
    """Problems of a security.txt under RFC 9116: Contact required, exactly one Expires in the future."""
    problems = []
    if not _CONTACT.search(text):
        problems.append("no Contact field")
    expires = _EXPIRES.findall(text)
    if len(expires) != 1:
        problems.append("no Expires field" if not expires else "more than one Expires field")
    else:
        try:
            when = datetime.fromisoformat(expires[0].replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            if when <= now:
                problems.append(f"expired on {expires[0]}")
        except ValueError:
            problems.append(f"Expires is not an RFC 3339 date: {expires[0]}")
    return problems


class SecurityTxtParams(Params):
    pass


class SecurityTxtKind(Kind):
    name = "security_txt"
    target = Target.PAGE
    Params = SecurityTxtParams
    summary = Text(ja="/.well-known/security.txt（RFC 9116）に連絡先と有効期限がある",
                   en="/.well-known/security.txt (RFC 9116) gives a contact and a future expiry")

    def needs(self, params: SecurityTxtParams) -> Needs:
        return Needs(page_facts={"security_txt"})

    def evaluate(self, params: SecurityTxtParams, facts: Facts) -> list[Observation]:
        out = []
        seen: set[str] = set()
        now = datetime.combine(facts.today, datetime.min.time(), tzinfo=UTC)
        for page in _pages(facts):
            info = page.security_txt
            if info is None:
                out.append(_page_error(page) or Observation(Status.NOT_APPLICABLE, subject=page.url,
                                                            reason=Text(ja="http(s) ではありません", en="not http(s)")))
                continue
            if info["url"] in seen:
                continue  # one observation per origin, not per page
            seen.add(info["url"])
            location = Location(url=info["url"])
            if info.get("text") is None:
                if page.is_loopback:
                    out.append(Observation(Status.NOT_APPLICABLE, subject=info["url"], location=location,
                                           reason=LOOPBACK_REASON))
                else:
                    status = info.get("status") or info.get("error")
                    out.append(Observation(Status.FAIL, subject=info["url"], location=location,
                                           detail={"problems": f"not found ({status})"}))
                continue
            problems = judge_security_txt(info["text"], now)
            if problems:
                out.append(Observation(Status.FAIL, subject=info["url"], location=location,
                                       detail={"problems": "; ".join(problems)}))
            else:
                out.append(Observation(Status.PASS, subject=info["url"], location=location))
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
        for page in _pages(facts):
            location = Location(url=page.url)
            if page.status is None and page.final_url is None:
                out.append(_page_error(page) or Observation(Status.ERROR, subject=page.url))
            elif page.is_loopback:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=location,
                                       reason=LOOPBACK_REASON))
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


class MixedContentParams(Params):
    pass


class MixedContentKind(Kind):
    name = "mixed_content"
    target = Target.PAGE
    Params = MixedContentParams
    summary = Text(ja="https のページが http の資源を読み込まない", en="https pages load nothing over http")

    def evaluate(self, params: MixedContentParams, facts: Facts) -> list[Observation]:
        out = []
        for page in _pages(facts):
            error = _page_error(page)
            if error:
                out.append(error)
            elif not page.is_https:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=NOT_HTTPS))
            elif page.http_resources:
                nodes = [{"selector": None, "snippet": url} for url in page.http_resources]
                location, occurrences, more = _nodes(nodes, page.url)
                out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                       more_occurrences=more, detail={"count": len(nodes)}))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url)))
        return out


class FormFieldsParams(Params):
    max_fields: int = Field(ge=1, description="most input fields one form should ask for")


class FormFieldsKind(Kind):
    name = "form_fields"
    target = Target.PAGE
    Params = FormFieldsParams
    summary = Text(ja="1 つのフォームの入力項目数が上限以下", en="no form asks for more fields than the limit")

    def evaluate(self, params: FormFieldsParams, facts: Facts) -> list[Observation]:
        out = []
        for page in _pages(facts):
            error = _page_error(page)
            if error:
                out.append(error)
                continue
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
                location, occurrences, more = _nodes(nodes, page.url)
                out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                       more_occurrences=more, metrics=metrics,
                                       detail={"fields": worst, "max_fields": params.max_fields}))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url),
                                       metrics=metrics, detail={"fields": worst, "max_fields": params.max_fields}))
        return out


KINDS: list[type[Kind]] = [
    WcagKind, AxeKind, DomKind, HttpStatusKind, HttpHeaderKind, CookieFlagsKind, SecurityTxtKind,
    HttpsRedirectKind, MixedContentKind, FormFieldsKind,
]
