"""``guideline-lint audit URL|PATH…``: audit pages only, in a real headless Chromium.

A PATH (an HTML file or a folder of built pages) is served on 127.0.0.1 and audited; URLs can also come
from ``--sitemap`` (bounded by ``--max-pages``) and from ``--url-list`` files (one URL a line).
"""

from __future__ import annotations

import dataclasses
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import click

from guideline_lint.cli import FORMATS, default_lang, fail_with, lang_option
from guideline_lint.errors import EnvironmentProblem, GuidelineLintError, InputError
from guideline_lint.model import Target, Text

DEFAULT_RULESET = "tokyo-code-of-conduct-1.1.0"
MAX_LOCAL_FILES = 5000
SITEMAP_BYTES = 20 * 1024 * 1024


@dataclasses.dataclass(slots=True)
class AuditTargets:
    urls: list[str] = dataclasses.field(default_factory=list)
    local_pages: list[Path] = dataclasses.field(default_factory=list)
    site_root: Path | None = None


def _is_url(value: str) -> bool:
    return re.match(r"^https?://", value, re.IGNORECASE) is not None


def read_url_list(path: Path) -> list[str]:
    """URLs from a text file: one a line; blank lines and '#' comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Text(ja=f"URL の一覧を読めません: {exc}", en=f"cannot read the URL list: {exc}"),
                         file=str(path)) from None
    urls = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if not _is_url(text):
            raise InputError(Text(ja=f"http(s) の URL ではありません: {text[:80]}",
                                  en=f"not an http(s) URL: {text[:80]}"), file=str(path), line=number, column=1)
        urls.append(text)
    return urls


_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read_sitemap(url: str, limit: int, timeout: float = 30.0, _depth: int = 0) -> list[str]:
    """Page URLs of a sitemap (or a sitemap index, one level deep), at most ``limit``."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "guideline-lint"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(SITEMAP_BYTES)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise EnvironmentProblem(Text(ja=f"サイトマップを取得できません: {exc}", en=f"cannot fetch the sitemap: {exc}"),
                                 url=url) from None
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise InputError(Text(ja=f"サイトマップの XML が壊れています: {exc}",
                              en=f"the sitemap is not valid XML: {exc}"), url=url) from None
    locations = [(el.text or "").strip() for el in root.iter() if el.tag in (f"{_SITEMAP_NS}loc", "loc")]
    urls: list[str] = []
    is_index = root.tag in (f"{_SITEMAP_NS}sitemapindex", "sitemapindex")
    for location in locations:
        if len(urls) >= limit:
            break
        if not _is_url(location):
            continue
        if is_index:
            if _depth == 0:
                urls.extend(read_sitemap(location, limit - len(urls), timeout, _depth + 1))
        else:
            urls.append(location)
    return list(dict.fromkeys(urls))[:limit]


def resolve_targets(targets: tuple[str, ...], sitemaps: tuple[str, ...], url_lists: tuple[Path, ...],
                    max_pages: int) -> AuditTargets:
    found = AuditTargets()
    local: list[Path] = []
    folders: list[Path] = []
    for target in targets:
        if _is_url(target):
            found.urls.append(target)
            continue
        path = Path(target)
        if path.is_dir():
            folders.append(path.resolve())
            pages = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())
            if not pages:
                raise InputError(Text(ja="HTML ファイルがありません。", en="holds no HTML files."), file=target)
            local.extend(pages[:MAX_LOCAL_FILES])
        elif path.is_file():
            local.append(path)
        else:
            raise InputError(
                Text(ja="URL でも既存のファイル・フォルダでもありません。",
                     en="is neither a URL nor an existing file or folder."),
                file=target,
                hint=Text(ja="URL は http:// か https:// で始めてください。", en="URLs start with http:// or https://."),
            )
    for path in url_lists:
        found.urls.extend(read_url_list(path))
    for sitemap in sitemaps:
        found.urls.extend(read_sitemap(sitemap, max_pages))
    found.urls = list(dict.fromkeys(found.urls))
    if local:
        resolved = [p.resolve() for p in local]
        roots = folders or [p.parent for p in resolved]
        common = Path(_common_path(roots + [p.parent for p in resolved]))
        found.site_root = common
        found.local_pages = list(dict.fromkeys(resolved))
    if len(found.urls) + len(found.local_pages) > max_pages:
        click.echo(f"guideline-lint: auditing the first {max_pages} pages (--max-pages)", err=True)
        found.urls = found.urls[:max_pages]
        found.local_pages = found.local_pages[: max(0, max_pages - len(found.urls))]
    return found


def _common_path(paths: list[Path]) -> str:
    import os

    return os.path.commonpath([str(p) for p in paths])


@click.command()
@click.argument("targets", nargs=-1)
@click.option("--sitemap", "sitemaps", multiple=True, help="a sitemap.xml URL whose pages to audit")
@click.option("--url-list", "url_lists", multiple=True, type=click.Path(path_type=Path),
              help="a text file with one URL a line")
@click.option("--max-pages", type=click.IntRange(1, 100_000), default=500, show_default=True,
              help="audit at most this many pages")
@click.option("--ruleset", "ruleset_ref", default=DEFAULT_RULESET, show_default=True,
              help="bundled ruleset id or a ruleset file (its page checks are used)")
@click.option("--level", type=click.Choice(["A", "AA"]), default="AA", show_default=True,
              help="JIS X 8341-3 conformance level to test")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help="output format (repeatable)")
@click.option("--output", type=click.Path(path_type=Path), help="write the report to this file")
@click.option("--output-dir", type=click.Path(path_type=Path), help="write one report file per format here")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, help="minimum overall score")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="browser sessions in parallel (default: CPUs)")
@click.option("--remote-url", default=None, help="Selenium Grid URL instead of the local Chromium")
@click.option("--chromedriver", default=None, help="path of chromedriver (default: $CHROMEDRIVER or PATH)")
@click.option("--timeout", "page_timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True,
              help="seconds allowed to load one page (and again to audit it)")
@click.option("--quiet", "-q", is_flag=True, help="no progress output")
@lang_option
def audit(**options: Any) -> None:
    """Audit pages (URLs, HTML files or folders) in headless Chromium: JIS X 8341-3, UI/UX, security."""
    lang = options.pop("lang") or default_lang()
    try:
        code = run_audit(lang=lang, **options)
    except GuidelineLintError as error:
        fail_with(error, lang)
    sys.exit(code)


def run_audit(*, lang: str, targets: tuple[str, ...], sitemaps: tuple[str, ...], url_lists: tuple[Path, ...],
              max_pages: int, ruleset_ref: str, level: str, formats: tuple[str, ...], output: Path | None,
              output_dir: Path | None, fail_under: float | None, workers: int | None, remote_url: str | None,
              chromedriver: str | None, page_timeout: float, quiet: bool) -> int:
    from guideline_lint.collect.pages import PageOptions, collect_service_pages
    from guideline_lint.facts import Facts
    from guideline_lint.jis import jis_table
    from guideline_lint.kinds.page import page_axe_rules, page_scripts
    from guideline_lint.loading import load_ruleset
    from guideline_lint.runner import CheckOptions, _check_output_options, build_report, write_reports

    report_formats = list(dict.fromkeys(formats or ("text",)))
    output_options = CheckOptions(lang=lang, formats=tuple(report_formats), output=output, output_dir=output_dir,
                                  fail_under=fail_under, quiet=quiet)
    _check_output_options(report_formats, output_options)
    if not (targets or sitemaps or url_lists):
        raise InputError(Text(ja="監査する URL・ファイル・フォルダを指定してください。",
                              en="give the URLs, files or folders to audit."),
                         hint=Text(ja="例: guideline-lint audit https://example.jp/ site/",
                                   en="e.g. guideline-lint audit https://example.jp/ site/"))
    ruleset = load_ruleset(ruleset_ref)
    checks = {cid: c for cid, c in ruleset.checks.items() if c.target == Target.PAGE}
    if level == "A":
        checks = {cid: c for cid, c in checks.items() if "level-aa" not in c.tags}
    if not checks:
        raise InputError(Text(ja=f"ルールセット {ruleset.id} にページのチェックがありません。",
                              en=f"ruleset {ruleset.id} has no page checks."))
    ruleset = dataclasses.replace(ruleset, checks=checks, weights={k: v for k, v in ruleset.weights.items()
                                                                    if k in checks})
    found = resolve_targets(targets, sitemaps, url_lists, max_pages)
    page_options = PageOptions(workers=workers, remote_url=remote_url, chromedriver=chromedriver, quiet=quiet,
                               page_timeout=page_timeout, dom_scripts=page_scripts(checks.values()),
                               axe_rules=page_axe_rules(checks.values()))
    pages = collect_service_pages(found.urls, found.local_pages, found.site_root, page_options)
    facts = Facts(pages=pages)
    report = build_report(ruleset, facts, service={"id": None, "phase": None}, fail_under=fail_under)
    audited = sum(1 for page in pages if not page.error)
    report.extensions["jis_x_8341_3"] = jis_table(report.findings, audited, level)
    write_reports(report, report_formats, output_options, None)
    return 0 if report.gate is None or report.gate.passed else 1
