"""``guideline-lint upload``: send a JSON report to the central tracker (DESIGN §3.4).

Light on purpose: the client uses only the standard library, so the tracker extra is not needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guideline_lint.cli import default_lang, fail_with, lang_option
from guideline_lint.errors import GuidelineLintError, InputError
from guideline_lint.model import Text


@click.command()
@click.argument("report", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--tracker", envvar="GUIDELINE_LINT_TRACKER", required=True,
              help="tracker base URL (or GUIDELINE_LINT_TRACKER)")
@click.option("--token", envvar="GUIDELINE_LINT_TOKEN", default=None,
              help="the service's upload token (default: GUIDELINE_LINT_TOKEN)")
@click.option("--flush", is_flag=True, help="send the reports spooled while the tracker was unreachable")
@click.option("--retries", type=click.IntRange(0, 10), default=4, show_default=True, help="retries with backoff")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=30.0, show_default=True, help="seconds per try")
@click.option("--spool-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="where unsent reports wait (default: GUIDELINE_LINT_SPOOL or ~/.cache/guideline-lint/spool)")
@lang_option
def upload(report: Path | None, tracker: str, token: str | None, flush: bool, retries: int, timeout: float,
           spool_dir: Path | None, lang: str | None) -> None:
    """Upload REPORT.json (from `check --format json`) to the tracker; --flush sends the spool."""
    from guideline_lint.tracker import client

    lang = lang or default_lang()
    spool = spool_dir or client.default_spool_dir()
    try:
        if report is None and not flush:
            raise InputError(Text(ja="送信する報告ファイルを指定するか、--flush を付けてください。",
                                  en="give a report file to send, or --flush."))
        if not token:
            raise InputError(Text(ja="トークンがありません。", en="no token."),
                             hint=Text(ja="--token または環境変数 GUIDELINE_LINT_TOKEN で指定してください。",
                                       en="give it with --token or the GUIDELINE_LINT_TOKEN variable."))
        if client.is_plain_remote(tracker):
            click.echo(Text(ja="警告: http:// ではトークンが暗号化されずに送られます。https:// を使ってください。",
                            en="warning: over http:// the token travels unencrypted; use https://.").get(lang),
                       err=True)
        if flush:
            sent, rejected = client.flush(tracker, token, spool_dir=spool, lang=lang, retries=retries,
                                          timeout=timeout)
            click.echo(Text(ja=f"保存済みの報告を {len(sent)} 件送信しました。",
                            en=f"sent {len(sent)} spooled report(s).").get(lang))
            for path, reason in rejected:
                click.echo(Text(ja=f"拒否されました（{path} に移動）: {reason}",
                                en=f"rejected (moved to {path}): {reason}").get(lang), err=True)
            if rejected and report is None:
                sys.exit(2)
        if report is not None:
            result = client.upload(report, tracker, token, spool_dir=spool, lang=lang, retries=retries,
                                   timeout=timeout)
            body = result.body
            flags = body.get("flags") or []
            if result.status == 201:
                click.echo(Text(ja=f"保存しました: 報告 {body.get('id')}、総合スコア {body.get('score')}",
                                en=f"stored: report {body.get('id')}, overall score {body.get('score')}").get(lang))
            else:
                click.echo(Text(ja=f"同じ報告が保存済みです: 報告 {body.get('id')}",
                                en=f"already stored: report {body.get('id')}").get(lang))
            for flag in flags:
                click.echo("⚠ " + str(flag.get(lang) or flag.get("code")), err=True)
    except GuidelineLintError as error:
        fail_with(error, lang)
