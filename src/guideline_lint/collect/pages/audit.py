"""One page from start to end: the HTTP answer, the per-origin facts, then the browser. Whatever goes wrong
becomes the page's ``error`` (a fault of the page or of the tool, never a finding about the service)."""

from __future__ import annotations

import http.client
import time
import urllib.parse
from typing import Any

from selenium.common.exceptions import TimeoutException, WebDriverException

from guideline_lint.browser import LoadFailed, NavigatedAway
from guideline_lint.collect.pages.http import BlockedAddress, OriginCache, fetch_http
from guideline_lint.collect.pages.session import audit_in_browser
from guideline_lint.collect.pages.viewport import ViewportPlan
from guideline_lint.errors import EnvironmentProblem
from guideline_lint.facts.needs import Needs
from guideline_lint.facts.page import PageFacts


def audit_page(facts: PageFacts, pool: Any, origins: OriginCache, runner: str, axe_opts: dict[str, Any] | None,
               timeout: float, needs: Needs, viewports: ViewportPlan | None = None) -> PageFacts:
    """Audit one page; never raises (but for KeyboardInterrupt and the like): any fault, foreseen or not,
    becomes this page's ``error`` and the other pages go on."""
    started = time.perf_counter()
    try:
        _audit(facts, pool, origins, runner, axe_opts, timeout, needs, viewports)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        facts.fail(f"the audit of this page failed: {detail}",
                   f"このページの検査に失敗しました（ツールの不具合）: {detail}", "tool")
    facts.timings["total_ms"] = (time.perf_counter() - started) * 1000
    return facts


def _audit(facts: PageFacts, pool: Any, origins: OriginCache, runner: str, axe_opts: dict[str, Any] | None,
           timeout: float, needs: Needs, viewports: ViewportPlan | None) -> None:
    try:
        fetch_http(facts, timeout)
    except BlockedAddress as exc:
        facts.fail(f"not opened: {exc}", f"開いていません: {exc}", "blocked")
    except TimeoutError:
        facts.fail(f"no complete answer within {timeout:g} s", f"{timeout:g} 秒以内に応答が揃いませんでした", "timeout")
    except http.client.HTTPException as exc:  # e.g. more than 100 header lines
        detail = f"{type(exc).__name__}: {exc}"
        facts.fail(f"not a valid HTTP answer: {detail}", f"HTTP の応答として正しくありません: {detail}", "protocol")
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        facts.fail(f"cannot fetch the page: {reason}", f"ページを取得できません: {reason}", "network")
    if facts.error is None and facts.status is not None and facts.status >= 400:
        facts.fail(f"HTTP {facts.status}", f"HTTP {facts.status}", "http")
    scheme = urllib.parse.urlsplit(facts.address).scheme
    if scheme in ("http", "https") and facts.error_kind not in ("timeout", "network", "blocked", "protocol"):
        if "security_txt" in needs.page_facts:
            facts.security_txt = origins.security_txt(facts.final_url or facts.address)
        if "http_variant" in needs.page_facts and facts.is_https and not facts.is_loopback:
            facts.http_variant = origins.http_variant(facts.final_url or facts.address)
    if facts.error is None:
        try:
            with pool.session() as session:
                try:
                    audit_in_browser(session, facts, runner, axe_opts, "keyboard" in needs.page_facts, viewports)
                    session.pages_loaded += 1
                except NavigatedAway as exc:  # the document was replaced while the audit script ran
                    facts.fail(f"the page navigated away during the audit: {exc}",
                               f"検査の途中でページが別のページへ移りました: {exc}", "navigated")
                except LoadFailed as exc:
                    facts.fail(f"the browser could not load the page: {exc}",
                               f"ブラウザがページを読み込めませんでした: {exc}", "crash")
                except TimeoutException:
                    limit = facts.timings.get("time_limit_s", timeout)  # grows with the page's element count
                    facts.fail(f"the page did not finish within {limit:g} s",
                               f"ページの検査が {limit:g} 秒以内に終わりませんでした", "timeout")
                    pool.discard(session)  # a renderer stuck in a script would time out every later page
                except WebDriverException as exc:
                    text = (exc.msg or str(exc) or type(exc).__name__).splitlines()[0]
                    if "unloaded" in text:  # the page navigated away (meta refresh, script) during the audit
                        facts.fail(f"the page navigated away during the audit: {text}",
                                   f"検査の途中でページが別のページへ移りました: {text}", "navigated")
                    else:
                        facts.fail(f"the browser failed on this page: {text}",
                                   f"このページでブラウザが止まりました: {text}", "crash")
                        pool.discard(session)
                except RuntimeError as exc:
                    facts.fail(str(exc), f"検査のスクリプトが失敗しました: {exc}", "script")
        except EnvironmentProblem as exc:  # a replacement session could not start
            facts.fail(f"the browser could not be restarted: {exc.message.en}",
                       f"ブラウザを起動し直せませんでした: {exc.message.ja}", "crash")
