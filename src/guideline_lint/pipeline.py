"""The one pipeline of `check` and `audit`: select checks → ask their kinds what they need → collect →
judge → score → render, and the exit code.

`check` gives it the targets of a service's manifest, `audit` the pages named on the command line
(``targets.py``); everything after that is the same code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import ValidationError

from guideline_lint import __version__
from guideline_lint.catalog import kpi_values, principles
from guideline_lint.collect.data import collect_service_data
from guideline_lint.engine import evaluate
from guideline_lint.errors import InputError
from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds import needs_of
from guideline_lint.loading import ResolvedRuleset, load_bundled_checks, load_ruleset
from guideline_lint.model import Check, Finding, Report, Skipped, Status, Target, Text, Verification
from guideline_lint.report.output import check_output_options, write_reports
from guideline_lint.scoring import apply_waivers, gate, score_principles, weights_of
from guideline_lint.targets import Targets


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
    page_timeout: float = 30.0
    quiet: bool = False
    today: date | None = None


def run(targets: Targets, options: RunOptions) -> int:
    """Run the pipeline, write the requested reports, return the exit code (0 passed, 1 gate failed)."""
    formats = list(dict.fromkeys(options.formats or ("text",)))
    check_output_options(formats, options.output, options.output_dir)
    baseline = read_report(options.baseline) if options.baseline else None
    report = evaluate_targets(targets, options, baseline)
    write_reports(report, formats, lang=options.lang, output=options.output, output_dir=options.output_dir,
                  baseline=baseline)
    return 0 if report.gate is None or report.gate.passed else 1


def evaluate_targets(targets: Targets, options: RunOptions, baseline: Report | None = None) -> Report:
    """The scored report of ``targets`` (no output written)."""
    ruleset = select_checks(load_ruleset(options.ruleset_ref), targets)
    checks = list(ruleset.checks.values())
    facts = collect(targets, checks, needs_of(checks), options)
    findings, skipped_checks = evaluate(checks, facts)
    findings += disabled_by_repository(ruleset, targets)
    if not options.no_waivers and targets.manifest is not None:
        aliases = {c.id: c.aliases for c in checks if c.aliases}
        findings = apply_waivers(findings, targets.manifest.data.get("waivers", []), facts.today, aliases)
    skipped = [Skipped(check_id=c.id, principles=c.principles, severity=c.severity, target=c.target,
                       reason=_skip_reason(c.target)) for c in skipped_checks]
    return build_report(ruleset, targets, facts, findings, skipped, options.fail_under, baseline)


def select_checks(ruleset: ResolvedRuleset, targets: Targets) -> ResolvedRuleset:
    """The ruleset's checks that apply to these targets: page checks alone for an audit of pages, and no AA
    criterion for a service or an audit at level A."""
    checks = ruleset.checks
    if targets.pages_only:
        checks = {cid: c for cid, c in checks.items() if c.target == Target.PAGE}
        if not checks:
            raise InputError(Text(ja=f"ルールセット {ruleset.id} にページのチェックがありません。",
                                  en=f"ruleset {ruleset.id} has no page checks."))
    if targets.level == "A":
        checks = {cid: c for cid, c in checks.items() if "level-aa" not in c.tags}
    if checks is ruleset.checks:
        return ruleset
    return replace(ruleset, checks=checks, weights={k: v for k, v in ruleset.weights.items() if k in checks})


def collect(targets: Targets, checks: list[Check], needs: Needs, options: RunOptions) -> Facts:
    """Gather the facts the selected checks judge; a target none of them looks at is not collected."""
    looked_at = {check.target for check in checks}
    facts = Facts(manifest=targets.manifest, repo=targets.repo, today=options.today or date.today(),
                  phase=targets.phase)
    if Target.DATA in looked_at and targets.repo is not None:
        facts.data = collect_service_data(targets.data_patterns, targets.repo.root, targets.data_paths)
    if Target.PAGE in looked_at and not options.no_pages:
        facts.pages = collect_pages(targets, needs, options) if targets.has_pages else []
    return facts


def collect_pages(targets: Targets, needs: Needs, options: RunOptions) -> list:
    # Imported here: the browser side (selenium, websocket) costs start-up time a run without pages never needs.
    from guideline_lint.collect.pages import PageOptions, collect_service_pages

    page_options = PageOptions(workers=options.workers, remote_url=options.remote_url,
                               chromedriver=options.chromedriver, quiet=options.quiet,
                               page_timeout=options.page_timeout)
    return collect_service_pages(targets.urls, targets.local_pages, targets.site_root, page_options, needs)


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
    titles = {p.id: p.title for p in principles().values()}
    overall, principle_scores = score_principles(findings, skipped, weights_of(ruleset), titles)
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


def _skip_reason(target: Target) -> Text:
    if target == Target.PAGE:
        return Text(ja="ページを検査していません（--no-pages）", en="pages were not checked (--no-pages)")
    return Text(ja=f"{target.value} を収集していません", en=f"{target.value} was not collected")


def _add_page_sections(report: Report, facts: Facts, level: str) -> None:
    from guideline_lint.jis import jis_table, page_metrics

    pages = facts.pages or []
    audited = sum(1 for page in pages if not page.error)
    report.extensions["jis_x_8341_3"] = jis_table(report.findings, audited, level)
    report.metrics.update(page_metrics(pages))


def read_report(path: Path) -> Report:
    """An earlier JSON report (``--baseline``)."""
    from guideline_lint.yamlio import read_text

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
