"""``guideline-lint check`` end to end: collect facts, judge, score, render, exit code."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guideline_lint import __version__
from guideline_lint.catalog import kpis, principles
from guideline_lint.engine import evaluate
from guideline_lint.errors import InputError
from guideline_lint.facts import Facts, ManifestFacts, RepoFacts
from guideline_lint.loading import ResolvedRuleset, find_manifest, load_manifest, load_ruleset
from guideline_lint.model import Check, Finding, KpiValue, Report, Skipped, Target, Text
from guideline_lint.scoring import apply_waivers, gate, score_principles, weights_of


@dataclass(slots=True)
class CheckOptions:
    path: Path = Path(".")
    lang: str = "ja"
    ruleset_ref: str | None = None
    urls: tuple[str, ...] = ()
    no_pages: bool = False
    data_paths: tuple[Path, ...] = ()
    formats: tuple[str, ...] = ()
    output: Path | None = None
    output_dir: Path | None = None
    fail_under: float | None = None
    baseline: Path | None = None
    no_waivers: bool = False
    workers: int | None = None
    remote_url: str | None = None
    chromedriver: str | None = None
    quiet: bool = False
    today: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def run_check(options: CheckOptions) -> int:
    """Run the check, write the requested reports, return the exit code (0 passed, 1 gate failed)."""
    formats = list(dict.fromkeys(options.formats or ("text",)))
    _check_output_options(formats, options)
    baseline = read_report(options.baseline) if options.baseline else None
    report = check_service(options, baseline)
    write_reports(report, formats, options, baseline)
    return 0 if report.gate is None or report.gate.passed else 1


def check_service(options: CheckOptions, baseline: Report | None = None) -> Report:
    manifest_path = find_manifest(options.path)
    repo_root = manifest_path.parent
    ruleset = load_ruleset(options.ruleset_ref)
    manifest, model = load_manifest(manifest_path, repo_root)
    level = model.accessibility.target_level or "AA"
    if level == "A":  # a service that targets level A is not judged on AA criteria
        ruleset = replace(ruleset, checks={i: c for i, c in ruleset.checks.items() if "level-aa" not in c.tags})
    today = options.today or date.today()
    facts = Facts(manifest=manifest, repo=RepoFacts.collect(repo_root), today=today, phase=model.service.phase.value)
    targets = {check.target for check in ruleset.checks.values()}
    if Target.DATA in targets:
        facts.data = collect_data(manifest, repo_root, list(options.data_paths))
    if Target.PAGE in targets and not options.no_pages:
        page_checks = [c for c in ruleset.checks.values() if c.target == Target.PAGE]
        facts.pages = collect_pages(manifest, facts.repo, list(options.urls), options, page_checks)
    waivers = [] if options.no_waivers else manifest.data.get("waivers", [])
    report = build_report(ruleset, facts, waivers=waivers, fail_under=options.fail_under, baseline=baseline,
                          service={"id": model.service.id, "phase": model.service.phase.value,
                                   "name": model.service.name.ja, "bureau": model.service.bureau})
    disabled = disabled_by_repository(ruleset, repo_root)
    if disabled and not options.no_waivers:
        report = rescore(report, ruleset, report.findings + disabled, options.fail_under, baseline)
    return report


def disabled_by_repository(ruleset: ResolvedRuleset, repo_root: Path) -> list[Finding]:
    """Checks a ruleset kept in the service's own repository drops from its bundled base.

    A team cannot make a rule disappear by editing its own configuration: each dropped check is
    reported as waived, so it earns no credit and stays visible to reviewers (DESIGN §4)."""
    if ruleset.source is None or not ruleset.source.is_relative_to(repo_root.resolve()):
        return []
    from guideline_lint.loading import load_bundled_checks
    from guideline_lint.model import Status, Verification

    checks = load_bundled_checks()
    where = ruleset.source.relative_to(repo_root.resolve()).as_posix()
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


def rescore(report: Report, ruleset: ResolvedRuleset, findings: list[Finding], fail_under: float | None,
            baseline: Report | None) -> Report:
    titles = {p.id: p.title for p in principles().values()}
    overall, principle_scores = score_principles(findings, report.skipped, weights_of(ruleset), titles)
    return report.model_copy(update={
        "findings": findings, "score": overall, "principles": principle_scores,
        "gate": gate(findings, principle_scores, overall, fail_under, baseline),
    })


def build_report(ruleset: ResolvedRuleset, facts: Facts, *, service: dict[str, str | None],
                 waivers: list[dict[str, Any]] | None = None, fail_under: float | None = None,
                 baseline: Report | None = None) -> Report:
    """Judge the collected facts with the ruleset and score them into a report."""
    checks = list(ruleset.checks.values())
    findings, skipped_checks = evaluate(checks, facts)
    aliases = {c.id: c.aliases for c in checks if c.aliases}
    findings = apply_waivers(findings, waivers or [], facts.today, aliases)
    skipped = [Skipped(check_id=c.id, principles=c.principles, severity=c.severity, target=c.target,
                       reason=_skip_reason(c.target)) for c in skipped_checks]
    titles = {p.id: p.title for p in principles().values()}
    weights = weights_of(ruleset)
    overall, principle_scores = score_principles(findings, skipped, weights, titles)
    report = Report(
        tool={"name": "guideline-lint", "version": __version__},
        ruleset={"id": ruleset.id, "version": ruleset.version},
        service=service,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        score=overall,
        principles=principle_scores,
        findings=findings,
        skipped=skipped,
        kpis=kpi_values(facts.manifest),
        gate=gate(findings, principle_scores, overall, fail_under, baseline),
    )
    _add_page_sections(report, facts)
    return report


def _skip_reason(target: Target) -> Text:
    if target == Target.PAGE:
        return Text(ja="ページを検査していません（--no-pages）", en="pages were not checked (--no-pages)")
    return Text(ja=f"{target.value} を収集していません", en=f"{target.value} was not collected")


def kpi_values(manifest: ManifestFacts | None) -> list[KpiValue]:
    if manifest is None:
        return []
    catalogue = kpis()
    values = []
    for kpi in manifest.data.get("kpis", []):
        info = catalogue[kpi["id"]]
        value, target = kpi.get("value"), kpi.get("target")
        met = None
        if value is not None and target is not None:
            met = value >= target if info.better == "higher" else value <= target
        measured = kpi.get("measured_at")
        values.append(KpiValue(id=kpi["id"], principles=list(info.principles), value=value, target=target,
                               unit=kpi.get("unit") or info.unit, better=info.better, met=met,  # type: ignore[arg-type]
                               measured_at=measured.isoformat() if isinstance(measured, date) else None))
    return values


# --------------------------------------------------------------------------- collectors of other targets


def collect_data(manifest: ManifestFacts, repo_root: Path, extra: list[Path]) -> list[Any] | None:
    try:
        from guideline_lint.collect.data import collect_service_data
    except ImportError:
        return None
    patterns = [p for item in manifest.data.get("data", {}).get("open_data", []) for p in item.get("files", [])]
    return collect_service_data(patterns, repo_root, extra)


def collect_pages(manifest: ManifestFacts, repo: RepoFacts, urls: list[str], options: CheckOptions,
                  page_checks: list[Check]) -> list[Any] | None:
    try:
        from guideline_lint.collect.pages import PageOptions, collect_service_pages
        from guideline_lint.kinds.page import page_axe_rules, page_scripts
    except ImportError:
        return None
    service = manifest.data["service"]
    all_urls = [*service.get("urls", []), *urls]
    local = [repo.root / name for pattern in service.get("pages", []) for name in repo.glob(pattern)]
    if not all_urls and not local:
        return []
    # Only what the ruleset's page checks judge runs in the page: their axe rules and in-page scripts.
    page_options = PageOptions(workers=options.workers, remote_url=options.remote_url,
                               chromedriver=options.chromedriver, quiet=options.quiet,
                               dom_scripts=page_scripts(page_checks), axe_rules=page_axe_rules(page_checks))
    return collect_service_pages(all_urls, local, repo.root, page_options)


def _add_page_sections(report: Report, facts: Facts) -> None:
    if not facts.pages:
        return
    try:
        from guideline_lint.jis import jis_table, page_metrics
    except ImportError:
        return
    level = (facts.manifest.get("accessibility.target_level") if facts.manifest else None) or "AA"
    audited = sum(1 for page in facts.pages if not page.error)
    report.extensions["jis_x_8341_3"] = jis_table(report.findings, audited, "AA" if level == "AAA" else level)
    report.metrics.update(page_metrics(facts.pages))


# --------------------------------------------------------------------------- output


def _check_output_options(formats: list[str], options: CheckOptions) -> None:
    if len(formats) > 1 and options.output_dir is None:
        raise InputError(Text(ja="複数の --format には --output-dir が必要です。",
                              en="several --format values need --output-dir."))
    if options.output is not None and options.output_dir is not None:
        raise InputError(Text(ja="--output と --output-dir は同時に使えません。",
                              en="use either --output or --output-dir, not both."))


def write_reports(report: Report, formats: list[str], options: CheckOptions, baseline: Report | None) -> None:
    from guideline_lint.report import EXTENSIONS, render

    for fmt in formats:
        text = render(report, fmt, options.lang, baseline)
        if options.output_dir is not None:
            write_atomically(options.output_dir / f"guideline-lint.{EXTENSIONS[fmt]}", text)
        elif options.output is not None:
            write_atomically(options.output, text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_atomically(target: Path, text: str) -> None:
    """Write through a temporary file and rename, so a failed run never leaves half a report."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InputError(Text(ja=f"書き込めません: {exc.strerror}", en=f"cannot write: {exc.strerror}"),
                         file=str(target)) from None


def read_report(path: Path) -> Report:
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

