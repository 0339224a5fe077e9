"""The one pipeline of `check` and `audit`: select checks → ask their kinds what they need → collect →
judge → score → render, and the exit code.

`check` gives it the targets of a service's manifest, `audit` the pages named on the command line
(``targets.py``); everything after that is the same code.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from guideline_lint import __version__
from guideline_lint.catalog import kpi_values, principles
from guideline_lint.collect.data import collect_service_data
from guideline_lint.engine import evaluate
from guideline_lint.errors import InputError
from guideline_lint.facts import VIEWPORTS, Facts, Needs, RepoFacts
from guideline_lint.i18n import t
from guideline_lint.jis import jis_table, page_metrics
from guideline_lint.kinds import needs_of, sees_unaudited_pages, sees_unread_data
from guideline_lint.loading import ResolvedRuleset, load_bundled_checks, load_ruleset
from guideline_lint.model import Check, Finding, Report, Skipped, Status, Target, Text, Verification
from guideline_lint.progress import Progress
from guideline_lint.report.output import check_output_options, write_reports
from guideline_lint.scoring import apply_waivers, gate, score_principles, weights_of
from guideline_lint.sources import named_texts, with_source_lines
from guideline_lint.targets import Targets, repository_root
from guideline_lint.textfiles import read_text
from guideline_lint.viewports import evaluate_at_viewports

if TYPE_CHECKING:  # built only by a run with pages (collect.pages, imported when there are some)
    from guideline_lint.facts.page import PageFacts


@dataclass(slots=True)
class RunOptions:
    lang: str = "ja"
    ruleset_ref: str | None = None
    no_pages: bool = False
    formats: tuple[str, ...] = ()
    output: Path | None = None
    output_dir: Path | None = None
    fail_under: float | None = None
    baseline: Path | None = None
    no_waivers: bool = False
    workers: int | None = None
    remote_url: str | None = None
    chromedriver: str | None = None
    page_timeout: float | None = None  # --timeout; None: the manifest's service.page_timeout, else 30 s
    viewports: tuple[str, ...] = ("desktop", "mobile")  # pages: the first in full, then what depends on layout
    quiet: bool = False
    today: date | None = None
    sarif_category: str | None = None  # automationDetails.id: one upload per category in code scanning
    sarif_include_urls: bool = False  # live-URL findings as SARIF results without a file location
    sarif_include_review: bool = False  # manual, waived and not-applicable items as SARIF results too


def run(targets: Targets, options: RunOptions) -> int:
    """Run the pipeline, write the requested reports, return the exit code (0 passed, 1 gate failed, 3 a page
    could not be reached)."""
    formats = list(dict.fromkeys(options.formats or ("text",)))
    check_output_options(formats, options.output, options.output_dir)
    baseline = read_report(options.baseline) if options.baseline else None
    report, collected = _evaluate(targets, options, baseline)
    write_reports(report, formats, lang=options.lang, output=options.output, output_dir=options.output_dir,
                  baseline=baseline, quiet=options.quiet, render_options=_render_options(formats, targets, options))
    unreachable = [page for page in collected.unaudited_pages if page.error_kind == "network"]
    if unreachable:  # the network, not the service: an environment problem (exit 3), said after the report
        names = ", ".join(page.url for page in unreachable[:5]) + (" …" if len(unreachable) > 5 else "")
        message = (f"{len(unreachable)} ページに接続できませんでした: {names}" if options.lang == "ja"
                   else f"could not connect to {len(unreachable)} page(s): {names}")
        print(f"guideline-lint: {message}", file=sys.stderr)
        return 3
    return 0 if report.gate is None or report.gate.passed else 1


def _render_options(formats: list[str], targets: Targets, options: RunOptions) -> dict[str, dict[str, object]]:
    if "sarif" not in formats:
        return {}
    # Code scanning wants paths from the checkout's root: a service may sit in a folder of a larger repository.
    folder = targets.repo.root if targets.repo is not None else targets.site_root
    sarif: dict[str, object] = {"category": options.sarif_category, "include_urls": options.sarif_include_urls,
                                "include_review": options.sarif_include_review}
    if folder is not None:
        sarif.update(repo_root=repository_root(folder), service_root=folder)
    return {"sarif": sarif}


def evaluate_targets(targets: Targets, options: RunOptions, baseline: Report | None = None) -> Report:
    """The scored report of ``targets`` (no output written)."""
    return _evaluate(targets, options, baseline)[0]


def _evaluate(targets: Targets, options: RunOptions, baseline: Report | None) -> tuple[Report, Collected]:
    ruleset = select_checks(load_ruleset(options.ruleset_ref), targets)
    checks = list(ruleset.checks.values())
    collected = collect(targets, checks, options)
    findings, skipped_checks = judge(checks, collected)
    findings = with_source_lines(findings, collected.facts.pages or [], [*(collected.facts.pages or []),
                                                                          *collected.unaudited_pages])
    findings += disabled_by_repository(ruleset, targets)
    if not options.no_waivers and targets.manifest is not None:
        aliases = {c.id: c.aliases for c in checks if c.aliases}
        findings = apply_waivers(findings, targets.manifest.data.get("waivers", []), collected.facts.today, aliases)
    skipped = [Skipped(check_id=c.id, title=c.title, principles=c.principles, severity=c.severity, target=c.target,
                       reason=collected.unavailable.get(c.target) or _not_collected(c.target))
               for c in skipped_checks]
    report = build_report(ruleset, targets, collected.facts, findings, skipped, options.fail_under, baseline)
    _note_retries(report, [*(collected.facts.pages or []), *collected.unaudited_pages])
    _note_half_built(report, collected.facts.pages or [])
    if collected.notices:
        notices = named_texts(collected.notices, [*(collected.facts.pages or []), *collected.unaudited_pages])
        report.extensions["not_evaluated"] = [notice.model_dump() for notice in notices]
    return report, collected


def select_checks(ruleset: ResolvedRuleset, targets: Targets) -> ResolvedRuleset:
    """The ruleset's checks that apply to these targets: for an audit, the checks of what it was given (pages, data
    files); no AA criterion for a service or an audit at level A."""
    checks = ruleset.checks
    if targets.audited is not None:
        checks = {cid: c for cid, c in checks.items() if c.target in targets.audited}
        if not checks:
            names = "・".join(t.value for t in sorted(targets.audited))
            raise InputError(Text(ja=f"ルールセット {ruleset.id} に {names} のチェックがありません。",
                                  en=f"ruleset {ruleset.id} has no checks of {names.replace('・', ' or ')}."))
    if targets.level == "A":
        checks = {cid: c for cid, c in checks.items() if "level-aa" not in c.tags}
    if checks is ruleset.checks:
        return ruleset
    return replace(ruleset, checks=checks, weights={k: v for k, v in ruleset.weights.items() if k in checks})


@dataclass(slots=True)
class Collected:
    """The facts gathered, and what could not be gathered and why (each reason ends up in the report)."""

    facts: Facts
    unaudited_pages: list[PageFacts] = field(default_factory=list)  # pages that did not load or crashed
    unavailable: dict[Target, Text] = field(default_factory=dict)  # targets not collected at all
    notices: list[Text] = field(default_factory=list)  # what was left out although collected


def collect(targets: Targets, checks: list[Check], options: RunOptions) -> Collected:
    """Gather the facts the selected checks judge; a target none of them looks at is not collected."""
    looked_at = {check.target for check in checks}
    collected = Collected(Facts(manifest=targets.manifest, repo=targets.repo,
                                today=options.today or date.today(), phase=targets.phase))
    collected.notices.extend(targets.notices)
    for where, globs in targets.empty_globs.items():
        listed = ", ".join(globs)
        collected.notices.append(Text(ja=f"{where} の {listed} に当てはまるファイルがありません",
                                      en=f"{where}: {listed} matched no file"))
    if Target.DATA in looked_at and targets.repo is not None:
        collected.facts.data = collect_service_data(targets.data_patterns, targets.repo.root, targets.data_paths)
    elif Target.DATA in looked_at and targets.data_paths:
        root, collected.facts.repo = _audited_data_root(targets.data_paths)
        collected.facts.data = collect_service_data(targets.data_patterns, root, targets.data_paths)
    if Target.PAGE in looked_at:
        _collect_pages(targets, [c for c in checks if c.target == Target.PAGE], options, collected)
    return collected


def _audited_data_root(paths: list[Path]) -> tuple[Path, RepoFacts | None]:
    """Where an audit's data files are named from, and the folders above them that a definition may lie in: the
    top of the git work tree that holds them (or the working folder, for files under it), listing only the folders
    between each file and that top; else the folder the files share, with nothing above it."""
    folders = [p.resolve().parent for p in paths]
    common = Path(os.path.commonpath([str(folder) for folder in folders]))
    top = RepoFacts.work_tree_top(common)
    if top is None and common.is_relative_to(cwd := Path.cwd().resolve()):
        top = cwd
    if top is None:
        return common, None
    between: list[str] = []
    for folder in folders:
        relative = folder.relative_to(top)
        between += [part.as_posix() if str(part) != "." else "" for part in (relative, *relative.parents)]
    return top, RepoFacts.collect_folders(top, between)


def _collect_pages(targets: Targets, page_checks: list[Check], options: RunOptions, collected: Collected) -> None:
    if options.no_pages:
        collected.unavailable[Target.PAGE] = Text(ja="ページを検査していません（--no-pages）",
                                                  en="pages were not checked (--no-pages)")
        return
    if not targets.has_pages:
        collected.unavailable[Target.PAGE] = Text(
            ja="検査するページがありません（マニフェストの service.urls と service.pages に当てはまるものがない）",
            en="no page to audit (nothing in the manifest's service.urls or service.pages)")
        return
    # Only page facts have needs (axe rules, in-page scripts): asked of the page checks' kinds when pages are run.
    pages = collect_pages(targets, needs_of(page_checks), options)
    if targets.repo is not None:  # pages are served from the site's folder, but named from the repository's root
        root = targets.repo.root.resolve()
        for page in pages:
            if page.local_file and (file := Path(page.local_file).resolve()).is_relative_to(root):
                page.url = file.relative_to(root).as_posix()
    collected.facts.pages = [page for page in pages if not page.error]
    collected.unaudited_pages = [page for page in pages if page.error]
    for page in collected.unaudited_pages:
        collected.notices.append(Text(ja=f"ページを検査できませんでした: {page.url}（{page.error_in('ja')}）",
                                      en=f"the page could not be audited: {page.url} ({page.error})"))
    for page in collected.facts.pages:  # audited at its first viewport, not at a further one: judged at the first
        for name, view in page.views.items():
            key = "viewport.not_audited" if view.error else "viewport.same_html"
            if view.error or "user-agent" in (page.header("vary") or "").lower():  # phones may get other HTML
                collected.notices.append(Text(**{lang: t(key, lang, url=page.url, name=t(f"viewport.{name}", lang),
                                                         **({"error": view.error_in(lang)} if view.error else {}))
                                                 for lang in ("ja", "en")}))
    if not collected.facts.pages:
        collected.unavailable[Target.PAGE] = Text(ja=f"どのページも検査できませんでした（対象 {len(pages)} ページ）",
                                                  en=f"no page could be audited (of {len(pages)})")


def collect_pages(targets: Targets, needs: Needs, options: RunOptions) -> list[PageFacts]:
    # Imported here: the browser side (selenium, websocket) costs start-up time a run without pages never needs.
    from guideline_lint.collect.pages import PageOptions, collect_service_pages

    progress = Progress(len(targets.urls) + len(targets.local_pages), quiet=options.quiet)
    page_options = PageOptions(workers=options.workers, remote_url=options.remote_url,
                               chromedriver=options.chromedriver,
                               page_timeout=page_time_limit(options, targets), viewports=options.viewports,
                               on_page=lambda page: progress.step(page.url, ok=not page.error))
    return collect_service_pages(targets.urls, targets.local_pages, targets.site_root, page_options, needs)


DEFAULT_PAGE_TIMEOUT = 30.0


def page_time_limit(options: RunOptions, targets: Targets) -> float:
    """Seconds allowed to load one page: ``--timeout`` (or the configuration file's ``timeout``) wins over the
    manifest's ``service.page_timeout``; 30 s when neither says."""
    return options.page_timeout or targets.page_timeout or DEFAULT_PAGE_TIMEOUT


def judge(checks: list[Check], collected: Collected) -> tuple[list[Finding], list[Check]]:
    """Findings of every check whose target was collected, and the checks that were skipped.

    A page that could not be audited is judged only by the check that reports whether pages load, a data file that
    could not be read (or holds no data) only by the check that reports whether files are readable: one finding
    each, not an error from every check of the target."""
    facts = collected.facts
    if collected.unavailable.get(Target.PAGE) is not None and facts.pages is not None:
        facts = replace(facts, pages=None)  # no page audited: every page check is skipped, with the reason
    unread = [item for item in facts.data or [] if item.error is not None]
    if not collected.unaudited_pages and not unread:
        return evaluate_at_viewports(evaluate, checks, facts)
    # What could not be audited or read is judged by the one check that reports it (page loads, file readable).
    special = [c for c in checks
               if (c.target == Target.PAGE and collected.unaudited_pages and sees_unaudited_pages(c))
               or (c.target == Target.DATA and unread and sees_unread_data(c))]
    if unread:
        readable = [item for item in facts.data or [] if item.error is None]
        facts = replace(facts, data=readable or None)
        if not readable:  # none readable: every other data check is skipped, with the reason
            collected.unavailable[Target.DATA] = Text(
                ja=f"どのデータファイルも読めませんでした（対象 {len(unread)} ファイル）",
                en=f"no data file could be read (of {len(unread)})")
    special_ids = {c.id for c in special}  # by id: comparing the models field by field cost ~1 ms a run
    findings, skipped = evaluate_at_viewports(evaluate, [c for c in checks if c.id not in special_ids], facts)
    everything = replace(collected.facts, pages=[*(collected.facts.pages or []), *collected.unaudited_pages])
    special_findings, _ = evaluate(special, everything)
    return special_findings + findings, skipped


def disabled_by_repository(ruleset: ResolvedRuleset, targets: Targets) -> list[Finding]:
    """Checks a ruleset kept in the service's own repository drops from its bundled base.

    A team cannot make a rule disappear by editing its own configuration: each dropped check is
    reported as waived, so it earns no credit and stays visible to reviewers (DESIGN §4)."""
    if targets.repo is None or ruleset.source is None:
        return []
    root = targets.repo.root.resolve()
    if not ruleset.source.is_relative_to(root):
        return []
    checks = load_bundled_checks()
    where = ruleset.source.relative_to(root).as_posix()
    return [
        Finding(check_id=c.id, title=c.title, principles=c.principles, domain=c.domain, target=c.target,
                status=Status.WAIVED, severity=c.severity, verification=Verification.MACHINE, message=c.title,
                references=c.references,
                reason=Text(ja=f"サービスのリポジトリの {where} で無効にされています（免除として扱います）",
                            en=f"turned off in the service's own {where} (counted as a waiver)"),
                waiver={"reason": f"disabled in {where}", "approver": None, "expires": None, "expired": False})
        for check_id in sorted(ruleset.bundled_base - set(ruleset.checks))
        if (c := checks[check_id])
    ]


def build_report(ruleset: ResolvedRuleset, targets: Targets, facts: Facts, findings: list[Finding],
                 skipped: list[Skipped], fail_under: float | None = None, baseline: Report | None = None) -> Report:
    """Score the judged findings into a report."""
    info = principles()
    overall, principle_scores = score_principles(findings, skipped, weights_of(ruleset),
                                                 {n: p.title for n, p in info.items()})
    # What the source asks a team to start with and to set its goals by, carried by every format.
    principle_scores = [p.model_copy(update={"first_step": info[p.id].first_step,
                                             "viewpoints": list(info[p.id].viewpoints)}) for p in principle_scores]
    report = Report(
        tool={"name": "guideline-lint", "version": __version__},
        ruleset={"id": ruleset.id, "version": ruleset.version},
        service=targets.service,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        score=overall,
        principles=principle_scores,
        findings=findings,
        skipped=skipped,
        kpis=kpi_values(facts.manifest.data if facts.manifest else None),
        gate=gate(findings, principle_scores, overall, fail_under, baseline),
    )
    if facts.pages:
        _add_page_sections(report, facts, targets.level)
    return report


def _not_collected(target: Target) -> Text:
    return Text(ja=f"{target.value} を収集していません", en=f"{target.value} was not collected")


def _add_page_sections(report: Report, facts: Facts, level: str) -> None:
    pages = facts.pages or []
    audited = sum(1 for page in pages if not page.error)
    report.extensions["jis_x_8341_3"] = jis_table(report.findings, audited, level)
    # What produced the page results: a JIS X 8341-3 試験結果 names its tools and their versions.
    audit = {key: sorted({page.engine[key] for page in pages if page.engine.get(key)})
             for key in ("axe", "browser", "driver", "viewport", "userAgent")}
    audit["viewport"] += sorted({view.engine["viewport"] for page in pages for view in page.views.values()
                                 if view.engine.get("viewport")})
    ran = {page.viewport for page in pages} | {name for page in pages for name, view in page.views.items()
                                               if view.error is None}
    audit["viewports"] = [name for name in VIEWPORTS if name in ran]
    report.extensions["page_audit"] = audit
    report.metrics.update(page_metrics(pages))


def _note_retries(report: Report, pages: list[PageFacts]) -> None:
    """Pages audited again in a new browser session after theirs was lost (a Grid node died), and why."""
    retried = [{"page": page.url, "attempts": len(page.retries) + 1, "audited": page.error is None,
                "reasons": page.retries, "reasons_ja": page.retries_ja} for page in pages if page.retries]
    if retried:
        report.extensions.setdefault("page_audit", {})["retried"] = retried


MAX_FAILED_SHOWN = 20  # failed loads kept per page in the report (their count too)


def _note_half_built(report: Report, pages: list[PageFacts]) -> None:
    """Pages audited while some of their scripts, style sheets or data requests had failed to load: their results
    describe the page as it was built without them."""
    half = [{"page": page.url, "failed": page.failed_loads[:MAX_FAILED_SHOWN], "count": len(page.failed_loads)}
            for page in pages if page.failed_loads and page.error is None]
    if half:
        report.extensions.setdefault("page_audit", {})["half_built"] = half


def read_report(path: Path) -> Report:
    """An earlier JSON report (``--baseline``)."""
    text = read_text(path, str(path), limit=256 * 1024 * 1024)
    try:
        return Report.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise InputError(Text(ja=f"JSON として読めません: {exc.msg}", en=f"not valid JSON: {exc.msg}"),
                         file=str(path), line=exc.lineno, column=exc.colno) from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(Text(ja=f"レポートの形式が違います: {where}: {first['msg']}",
                              en=f"not a guideline-lint JSON report: {where}: {first['msg']}"),
                         file=str(path)) from None
