"""``guideline-lint audit URL|PATH…``: audit pages only, in a real headless Chromium.

A PATH (an HTML file or a folder of built pages) is served on 127.0.0.1 and audited; URLs can also come
from ``--sitemap`` (bounded by ``--max-pages``) and from ``--url-list`` files (one URL a line). The pages go
through the same pipeline as ``check`` (``pipeline.py``); this module only reads the options.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from guideline_lint.cli import default_lang, fail_with, run_options
from guideline_lint.errors import GuidelineLintError
from guideline_lint.loading import DEFAULT_RULESET
from guideline_lint.pipeline import RunOptions, run
from guideline_lint.targets import page_targets


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
@run_options
def audit(**options: Any) -> None:
    """Audit pages (URLs, HTML files or folders) in headless Chromium: JIS X 8341-3, UI/UX, security; and open-data
    files (CSV, TSV, XLSX, JSON) by the data checks."""
    lang = options.pop("lang") or default_lang()
    found = {name: options.pop(name) for name in ("targets", "sitemaps", "url_lists", "max_pages", "level")}
    try:
        code = run(page_targets(**found), RunOptions(lang=lang, **options))
    except GuidelineLintError as error:
        fail_with(error, lang)
    sys.exit(code)
