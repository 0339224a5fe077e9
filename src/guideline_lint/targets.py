"""What a run looks at: targets from a service's manifest (`check`) or from the command line (`audit`).

Both commands resolve to one ``Targets`` value that the pipeline runs; nothing here judges anything.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from guideline_lint.collect.data import FORMATS as DATA_FORMATS
from guideline_lint.errors import EnvironmentProblem, InputError
from guideline_lint.facts import ManifestFacts, RepoFacts
from guideline_lint.loading import find_manifest, load_manifest
from guideline_lint.model import Target, Text
from guideline_lint.textfiles import MAX_TEXT_BYTES

MAX_LOCAL_FILES = 5000
SITEMAP_BYTES = 20 * 1024 * 1024


@dataclass(slots=True)
class Targets:
    """A service (manifest, repository, data files, pages) or a set of pages alone."""

    manifest: ManifestFacts | None = None
    repo: RepoFacts | None = None
    service: dict[str, str | None] = field(default_factory=lambda: {"id": None, "phase": None})
    phase: str | None = None
    level: str = "AA"  # JIS X 8341-3 level the pages are judged at: A or AA
    urls: list[str] = field(default_factory=list)
    local_pages: list[Path] = field(default_factory=list)  # HTML files served on 127.0.0.1
    site_root: Path | None = None  # the folder they are served from
    page_timeout: float | None = None  # the manifest's service.page_timeout (seconds); --timeout wins
    data_patterns: list[str] = field(default_factory=list)  # globs of the manifest's open-data files
    data_paths: list[Path] = field(default_factory=list)  # further data files (--data)
    # `audit`: only the ruleset's checks of these targets are run (pages, and data files named on the command line)
    audited: frozenset[Target] | None = None
    # Globs of the manifest that matched no file, by the manifest path that holds them: never a silent pass.
    empty_globs: dict[str, list[str]] = field(default_factory=dict)
    notices: list[Text] = field(default_factory=list)  # what was left out on purpose, said in the report

    @property
    def has_pages(self) -> bool:
        return bool(self.urls or self.local_pages)


# --------------------------------------------------------------------------- a service (check)


def service_targets(path: Path, urls: tuple[str, ...] = (), data_paths: tuple[Path, ...] = ()) -> Targets:
    """The targets of the service whose manifest is at (or in) ``path``: its repository, its data files and
    its pages (the manifest's URLs and built pages, plus ``urls``)."""
    manifest_path = find_manifest(path)
    repo_root = manifest_path.parent
    manifest, model = load_manifest(manifest_path, repo_root)
    repo = RepoFacts.collect(repo_root)
    repo.outer = RepoFacts.collect_outer(repo_root)
    service = manifest.data["service"]
    globs = service.get("pages", [])
    matched = list(dict.fromkeys(name for pattern in globs for name in repo.glob(pattern)))
    local = [repo.root / name for name in matched if not VERIFICATION_FILE.match(PurePosixPath(name).name)]
    left_out = [name for name in matched if VERIFICATION_FILE.match(PurePosixPath(name).name)]
    data = manifest.data.get("data", {})
    data_patterns = [p for item in data.get("open_data", []) for p in item.get("files", [])]
    empty_globs = {"service.pages": [p for p in globs if not repo.glob(p)],
                   "data.open_data.files": [p for p in data_patterns if not repo.glob(p)]}
    level = model.accessibility.target_level or "AA"
    return Targets(
        manifest=manifest, repo=repo,
        service={"id": model.service.id, "phase": model.service.phase.value, "name": model.service.name.ja,
                 "bureau": model.service.bureau},
        phase=model.service.phase.value,
        level="AA" if level == "AAA" else level,  # AAA criteria are judged by their own ruleset
        urls=[*service.get("urls", []), *urls],
        local_pages=local, site_root=site_root(repo.root, globs), page_timeout=model.service.page_timeout,
        data_patterns=data_patterns, data_paths=list(data_paths),
        empty_globs={where: globs for where, globs in empty_globs.items() if globs},
        notices=[Text(ja=f"検索エンジンの所有確認用ファイルはページとして検査していません: {', '.join(left_out)}",
                      en=f"search-engine verification files were not audited as pages: {', '.join(left_out)}")]
        if left_out else [],
    )


# Open-data files named to `audit` are judged by the data checks; a .txt file is left a page, as before. So are
# documents, images and archives, which are no pages: L1-01 names the formats that are not machine-readable (an
# `audit` of takamatsu-city/takamatsu-event-map's 20250530161817312.zip loaded it in the browser and reported a page
# that could not be audited).
NOT_PAGE_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".jtd", ".rtf", ".zip", ".jpg",
                               ".jpeg", ".png", ".gif", ".tif", ".tiff"})
DATA_SUFFIXES = (frozenset(DATA_FORMATS) - {".txt"}) | NOT_PAGE_SUFFIXES
# Files that only prove to a search engine who owns the site (google0123abcd.html, yandex_….html): not pages.
VERIFICATION_FILE = re.compile(r"^(google[0-9a-f]{8,}|yandex_[0-9a-f]{8,}|BingSiteAuth)\.html?$", re.IGNORECASE)


def site_root(repo_root: Path, globs: list[str]) -> Path:
    """The folder the built site is served from: the part of the page globs before their first wildcard
    (``dist/**/*.html`` -> ``dist``), so a page's root-relative links (``/css/site.css``) resolve as on the
    web server; the repository root when the globs share no folder."""
    prefixes = []
    for pattern in globs:
        parts = PurePosixPath(pattern.removeprefix("./")).parts
        fixed = [part for part in itertools.takewhile(lambda part: not any(c in part for c in "*?["), parts)]
        prefixes.append(PurePosixPath(*fixed[:-1]) if len(fixed) == len(parts) else PurePosixPath(*fixed))
    if not prefixes:
        return repo_root
    common = os.path.commonpath([str(prefix) for prefix in prefixes]) if all(str(p) != "." for p in prefixes) else ""
    folder = (repo_root / common).resolve() if common else repo_root
    return folder if folder.is_dir() and folder.is_relative_to(repo_root.resolve()) else repo_root


# --------------------------------------------------------------------------- pages alone (audit)


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
    # http(s) only, redirects included, within one time budget: a sitemap must not open a local file (issue #15).
    # Imported here: the page collector's package brings Selenium (and http.client, ssl), which `check --no-pages`
    # never loads; nor does it parse XML (xml.etree: ~8 M instructions, 0.6 % of a cold check).
    import http.client
    import xml.etree.ElementTree as ET

    from guideline_lint.collect.pages.http import MAX_REDIRECTS, Deadline, fetch_once

    try:
        deadline, target = Deadline(timeout), url
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, _, body = fetch_once(target, deadline, SITEMAP_BYTES)
            if not (300 <= status < 400 and headers.get("location")):
                break
            target = urllib.parse.urljoin(target, headers["location"])
        if status >= 300:
            raise OSError(f"HTTP {status}")
    except (OSError, ValueError, http.client.HTTPException) as exc:
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


def page_targets(targets: tuple[str, ...], sitemaps: tuple[str, ...] = (), url_lists: tuple[Path, ...] = (),
                 max_pages: int = 500, level: str = "AA") -> Targets:
    """Pages named on the command line: URLs, HTML files, folders of built pages, URL lists and sitemaps,
    at most ``max_pages`` of them (URLs first); and open-data files named one by one (CSV, TSV, XLSX, JSON, and
    documents, images and archives, whose format L1-01 judges), which the data checks judge."""
    if not (targets or sitemaps or url_lists):
        raise InputError(Text(ja="監査する URL・ファイル・フォルダを指定してください。",
                              en="give the URLs, files or folders to audit."),
                         hint=Text(ja="例: guideline-lint audit https://example.jp/ site/",
                                   en="e.g. guideline-lint audit https://example.jp/ site/"))
    found = Targets(level=level)
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
        elif path.is_file() and path.suffix.lower() in DATA_SUFFIXES:
            found.data_paths.append(path)
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
        common = Path(os.path.commonpath([str(p) for p in roots + [p.parent for p in resolved]]))
        found.site_root = served_root(common, resolved)
        found.local_pages = list(dict.fromkeys(resolved))
    found.audited = frozenset({Target.PAGE} if found.has_pages or not found.data_paths else set()) | (
        {Target.DATA} if found.data_paths else set())
    if len(found.urls) + len(found.local_pages) > max_pages:
        print(f"guideline-lint: auditing the first {max_pages} pages (--max-pages)", file=sys.stderr)
        found.urls = found.urls[:max_pages]
        found.local_pages = found.local_pages[: max(0, max_pages - len(found.urls))]
    return found


def repository_root(folder: Path) -> Path:
    """The root of the git work tree holding ``folder`` (``git rev-parse --show-toplevel``), else ``folder``."""
    import subprocess  # only SARIF runs ask git: ~20 M instructions to import, 1.5 % of a cold check

    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return folder  # no git, or not a folder we can enter: the folder given is the root
    top = done.stdout.strip()
    return Path(top) if done.returncode == 0 and top else folder


# A page's own references to files (<link href>, <script src>, <img src> …), relative ones only: 'css/a.css',
# '../../global.css'; not 'https://…', '//cdn…', '/root.css', 'data:…' or '#top'.
_RELATIVE_REFERENCE = re.compile(r"""(?:href|src)\s*=\s*["']?(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"'\s>?#]+)""")
MAX_PAGES_READ_FOR_ROOT = 200


def served_root(common: Path, pages: list[Path]) -> Path:
    """The folder local pages are served from: the folder that holds them, widened to hold the files they refer to
    above it (a component's playground.html in src/components/x/ links '../../global.css'), but never beyond the
    git repository that holds them; outside a repository it is not widened (a page must not choose what it may
    read). Without this the style sheet is missing and every finding describes an unstyled page."""
    top = next((folder for folder in (common, *common.parents) if (folder / ".git").exists()), None)
    if top is None:
        return common
    root = common
    for page in pages[:MAX_PAGES_READ_FOR_ROOT]:
        try:
            with page.open(encoding="utf-8", errors="replace") as handle:
                text = handle.read(MAX_TEXT_BYTES)
        except OSError:
            continue
        for reference in set(_RELATIVE_REFERENCE.findall(text)):
            if not reference.startswith(".."):
                continue  # inside the page's own folder, which is served
            target = (page.parent / urllib.parse.unquote(reference)).resolve()
            if target.is_relative_to(top) and not target.is_relative_to(root) and target.is_file():
                root = Path(os.path.commonpath([str(root), str(target.parent)]))
    return root

