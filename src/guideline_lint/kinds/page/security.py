"""``security_txt`` (RFC 9116, once per origin) and ``mixed_content`` (http: subresources on https pages)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import (
    LOCAL_SITE,
    LOOPBACK_REASON,
    NOT_HTTPS,
    nodes_at,
    pages_of,
)
from guideline_lint.model import Location, Status, Target, Text

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
        for page in pages_of(facts):
            info = page.security_txt
            if info is None:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url,
                                       reason=Text(ja="http(s) ではありません", en="not http(s)")))
                continue
            if info["url"] in seen:
                continue  # one observation per origin, not per page
            seen.add(info["url"])
            location = Location(url=info["url"])
            if info.get("text") is None:
                if page.is_loopback:
                    out.append(Observation(Status.NOT_APPLICABLE, subject=info["url"], location=location,
                                           reason=LOCAL_SITE if page.local_file else LOOPBACK_REASON))
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


class MixedContentParams(Params):
    pass


class MixedContentKind(Kind):
    name = "mixed_content"
    target = Target.PAGE
    Params = MixedContentParams
    summary = Text(ja="https のページが http の資源を読み込まない", en="https pages load nothing over http")

    def evaluate(self, params: MixedContentParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            if not page.is_https:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=NOT_HTTPS))
            elif page.http_resources:
                nodes = [{"selector": None, "snippet": url} for url in page.http_resources]
                location, occurrences, more = nodes_at(nodes, page.url)
                out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                       more_occurrences=more, detail={"count": len(nodes)}))
            else:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url)))
        return out


KINDS: list[type[Kind]] = [SecurityTxtKind, MixedContentKind]
