"""The command line (DESIGN §3.1). Only argument parsing and exit codes live here.

Commands other than ``check``, ``rules``, ``schema`` and ``init`` are loaded on first use, so a plain
``guideline-lint check`` never imports the browser or server code.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from guideline_lint import __version__
from guideline_lint.config import describe, load_config
from guideline_lint.errors import GuidelineLintError
from guideline_lint.report import FORMATS

# name -> "module:attribute" of a click command defined elsewhere.
LAZY_COMMANDS = {
    "audit": "guideline_lint.commands.audit:audit",
    "upload": "guideline_lint.commands.upload:upload",
    "tracker": "guideline_lint.commands.tracker:tracker",
}


def default_lang() -> str:
    """--lang wins; otherwise LANG/LC_ALL starting with 'en' selects English; Japanese by default."""
    for variable in ("GUIDELINE_LINT_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "en" if value.lower().startswith("en") else "ja"
    return "ja"


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attribute = LAZY_COMMANDS[cmd_name].split(":")
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                raise click.ClickException(f"'{cmd_name}' is not available: {exc}") from exc
            return getattr(module, attribute)
        return super().get_command(ctx, cmd_name)


def fail_with(error: GuidelineLintError, lang: str) -> None:
    click.echo(f"guideline-lint: {error.render(lang)}", err=True)
    sys.exit(error.exit_code)


lang_option = click.option(
    "--lang", type=click.Choice(["ja", "en"]), default=None, help="message language (default: ja, or en from LANG)"
)


VIEWPORT_NAMES = ("desktop", "mobile")


def _viewports(ctx: click.Context, param: click.Parameter, value: Any) -> tuple[str, ...]:
    names = value if isinstance(value, (list, tuple)) else str(value).split(",")
    chosen = tuple(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
    unknown = [name for name in chosen if name not in VIEWPORT_NAMES]
    if unknown or not chosen:
        raise click.BadParameter(f"{', '.join(unknown) or 'none given'}: use desktop, mobile or desktop,mobile")
    return chosen


def run_options(command: Any) -> Any:
    """The options `check` and `audit` share: reports, gate, browser, progress and language."""
    options = [
        click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="output format (repeatable)"),
        click.option("--output", type=click.Path(path_type=Path), help="write the report to this file ('-': stdout)"),
        click.option("--output-dir", type=click.Path(path_type=Path), help="write one report file per format here"),
        click.option("--fail-under", type=click.FloatRange(0, 100), default=None, help="minimum overall score"),
        click.option("--workers", type=click.IntRange(1, 64), default=None,
                     help="browser sessions in parallel (default: CPUs)"),
        click.option("--remote-url", default=None, help="Selenium Grid URL instead of the local Chromium"),
        click.option("--chromedriver", default=None, help="path of chromedriver (default: $CHROMEDRIVER or PATH)"),
        click.option("--timeout", "page_timeout", type=click.FloatRange(1, 600), default=None,
                     help="seconds allowed to load one page (and again to audit it, longer for a big page); "
                          "default: the manifest's service.page_timeout, else 30"),
        click.option("--viewports", default="desktop,mobile", show_default=True, callback=_viewports,
                     help="page viewports: desktop (1280x881), mobile (375x812, touch) or both; with both the "
                          "mobile layout of each loaded page is checked after the desktop one"),
        click.option("--sarif-category", default=None,
                     help="SARIF automationDetails.id: a category per upload, for several analyses of one commit"),
        click.option("--sarif-include-urls", is_flag=True,
                     help="put findings on live URLs into the SARIF file as results without a file location"),
        click.option("--sarif-include-review", is_flag=True,
                     help="put manual, waived and not-applicable items into the SARIF file as well"),
        click.option("--quiet", "-q", is_flag=True, help="no progress output"),
        lang_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guideline-lint")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check a digital service against the TMG code of conduct (行動指針 ver.1.1.0).

    Settings can also come from .guideline-lint.yaml or [tool.guideline-lint] in pyproject.toml, found from
    the working directory upward; flags override them (`guideline-lint config` shows what is in force)."""
    try:
        config = load_config(Path.cwd())
    except GuidelineLintError as error:
        fail_with(error, default_lang())
    ctx.obj = config
    ctx.default_map = config.settings  # click takes each command's defaults from here; flags win


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--ruleset", "ruleset_ref", default=None, help="bundled ruleset id or a ruleset YAML file")
@click.option("--url", "urls", multiple=True, help="a live page to audit in addition to the manifest's")
@click.option("--no-pages", is_flag=True, help="do not open pages in a browser")
@click.option("--data", "data_paths", multiple=True, type=click.Path(path_type=Path),
              help="an open-data file to check besides the manifest's data.open_data files (repeatable)")
@click.option("--baseline", type=click.Path(path_type=Path), help="earlier JSON report: only new failures gate")
@click.option("--no-waivers", is_flag=True, help="ignore waivers (for auditors)")
@run_options
def check(path: Path, urls: tuple[str, ...], data_paths: tuple[Path, ...], **options: Any) -> None:
    """Check the service in PATH (a folder with digital-service.yaml, or the manifest file).

    \b
    Examples:
      guideline-lint check . --no-pages
      guideline-lint check services/permit --data data/shelters.csv --format sarif --output out.sarif"""
    from guideline_lint.pipeline import RunOptions, run
    from guideline_lint.targets import service_targets

    lang = options.pop("lang") or default_lang()
    try:
        code = run(service_targets(path, urls, data_paths), RunOptions(lang=lang, **options))
    except GuidelineLintError as error:
        fail_with(error, lang)
    sys.exit(code)


@main.group()
def rules() -> None:
    """List and explain the checks."""


@rules.command("list")
@click.option("--ruleset", "ruleset_ref", default=None, help="only the checks of this ruleset")
@click.option("--principle", type=click.IntRange(1, 10), multiple=True)
@click.option("--domain", multiple=True)
@click.option("--target", multiple=True, type=click.Choice(["manifest", "repo", "data", "page"]))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@lang_option
def rules_list(ruleset_ref: str | None, principle: tuple[int, ...], domain: tuple[str, ...],
               target: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """List checks, filtered by principle, domain or target."""
    from guideline_lint.rules_doc import list_rules

    lang = lang or default_lang()
    try:
        click.echo(list_rules(ruleset_ref, set(principle), set(domain), set(target), fmt, lang))
    except GuidelineLintError as error:
        fail_with(error, lang)


@rules.command("show")
@click.argument("check_id")
@lang_option
def rules_show(check_id: str, lang: str | None) -> None:
    """Show the full documentation of one check."""
    from guideline_lint.rules_doc import show_rule

    lang = lang or default_lang()
    try:
        click.echo(show_rule(check_id, lang))
    except GuidelineLintError as error:
        fail_with(error, lang)


@main.command("config")
@click.pass_context
def show_config(ctx: click.Context) -> None:
    """Show the settings in force for check and audit, and where each comes from.

    \b
    Settings (the options' long names): ruleset, lang, format, output, output-dir, fail-under, no-pages,
    no-waivers, baseline, url, data, workers, remote-url, chromedriver, timeout, quiet, sarif-category,
    sarif-include-urls; for audit also sitemap, url-list, max-pages, level. A `check:` or `audit:` section
    holds settings for that command alone. Paths are relative to the file's folder."""
    assert ctx.parent is not None
    group = ctx.parent.command
    assert isinstance(group, click.Group)
    options: dict[str, list[tuple[str, str, Any]]] = {}
    for name in ("check", "audit"):
        command = group.get_command(ctx.parent, name)
        if command is None:
            continue
        options[name] = [
            (option.opts[0].lstrip("-"), option.name,
             repr(option.default) if option.default not in (None, (), False) and not _unset(option.default)
             else "(not set)")
            for option in command.params if isinstance(option, click.Option) and option.name
        ]
    click.echo(describe(ctx.obj, options), nl=False)


def _unset(value: Any) -> bool:
    return type(value).__name__ == "Sentinel"  # click's UNSET marker for options without a default


@main.command()
@click.argument("name", type=click.Choice(["manifest", "report", "check", "ruleset"]))
def schema(name: str) -> None:
    """Print a published JSON Schema."""
    from guideline_lint.schemas import published_schema_text

    click.echo(published_schema_text(name), nl=False)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--phase", type=click.Choice(["planning", "development", "operation"]), default=None,
              help="the service's phase (default: asked at a terminal, else development)")
@click.option("--id", "service_id", default=None, help="the service id (default: from the folder name)")
@lang_option
def init(path: Path, phase: str | None, service_id: str | None, lang: str | None) -> None:
    """Write a commented digital-service.yaml skeleton (never overwrites).

    It holds no value a check would pass unedited: the checks say what is still to be filled in."""
    from guideline_lint.init import write_skeleton

    lang = lang or default_lang()
    ask = (lambda question, default: click.prompt(question, default=default)) if sys.stdin.isatty() else None
    try:
        written = write_skeleton(path, phase=phase, service_id=service_id, ask=ask)
    except GuidelineLintError as error:
        fail_with(error, lang)
    click.echo(written)
