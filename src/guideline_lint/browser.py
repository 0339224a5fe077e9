"""WebDriver sessions: the local Debian Chromium or a Selenium Grid, reused across pages.

Selenium is given the system chromedriver explicitly: without a path it would try to download one, which
cannot work offline. Chromium runs headless with everything that talks to the network on its own turned
off, in a fresh temporary profile. A session that hangs or crashes is thrown away and replaced; every
session is quit in ``finally`` so no Chromium is left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guideline_lint.devtools import DevTools
from guideline_lint.devtools import NavigatedAway as NavigatedAway  # where the page collector finds it
from guideline_lint.errors import EnvironmentProblem
from guideline_lint.model import Text

HEADLESS_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # containers and CI runners lack the user namespaces the sandbox needs
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
    "--mute-audio",
    "--window-size=1280,1024",
    "--lang=ja",  # the language a resident's browser asks for: a site that picks it by Accept-Language shows Japanese
)
# Accept-Language of the audit's browser and of its own HTTP requests (the same answer in both).
ACCEPT_LANGUAGE = "ja,en-US;q=0.8,en;q=0.7"

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@dataclass(slots=True)
class BrowserOptions:
    chromedriver: str | None = None  # explicit path; else $CHROMEDRIVER; else PATH
    remote_url: str | None = None  # a Selenium Grid instead of the local Chromium
    page_timeout: float = 30.0  # seconds for loading one page, and again for auditing it
    preload_script: str | None = None  # evaluated in every new document before the page's own scripts
    isolated_script: str | None = None  # evaluated in every new document in the audit's isolated world (axe)


# The audit's own JavaScript world in each document (DevTools isolated world): it shares the DOM with the page
# but none of its globals, so a page that redefines ``axe``, ``Array``, ``Promise``… cannot touch the audit.
AUDIT_WORLD = "guideline-lint-audit"


def find_chromedriver(explicit: str | None = None) -> str:
    """The chromedriver to use, or an ``EnvironmentProblem`` that names the Debian packages."""
    candidate = explicit or os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    where = Text(
        ja=f"chromedriver が見つかりません（{candidate}）。" if candidate else "chromedriver が見つかりません。",
        en=f"chromedriver not found ({candidate})." if candidate else "chromedriver not found.",
    )
    raise EnvironmentProblem(
        where,
        hint=Text(
            ja="Debian のパッケージ chromium と chromium-driver を入れてください（apt-get install chromium "
            "chromium-driver）。または --chromedriver か環境変数 CHROMEDRIVER でパスを、"
            "--remote-url で Selenium Grid を指定してください。",
            en="Install the Debian packages chromium and chromium-driver (apt-get install chromium "
            "chromium-driver), or give its path with --chromedriver or $CHROMEDRIVER, or a Selenium Grid "
            "with --remote-url.",
        ),
    )


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    found: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ')'.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


class LoadFailed(Exception):
    """The browser did not load the page (``net::ERR_…``: a download, 204 No Content, a refused connection)."""


class Session:
    """One browser session. ``preloaded`` tells whether the preload scripts run on every new document
    (through our DevTools connection, to the local Chromium or through a Selenium Grid 4's ``se:cdp``: axe and the
    audit then run in ``AUDIT_WORLD``) or axe must be sent with each page into the page's own world (a Grid
    without CDP, or no DevTools connection)."""

    def __init__(self, options: BrowserOptions) -> None:
        self.options = options
        self.driver: Any = None
        self.devtools: DevTools | None = None  # our own DevTools connection (None: pages go through WebDriver)
        self.preloaded = False
        self._profile: str | None = None
        self._service: Any = None  # the local chromedriver, kept to stop it even if the session never starts
        self.pages_loaded = 0
        self.frame_id: str | None = None  # the main frame of the page loaded last (DevTools)
        self.world_context: int | None = None  # its AUDIT_WORLD execution context, made on first use
        self.committed_at = 0  # DevTools' count of events received when that page's document was committed

    def start(self) -> Session:
        from selenium import webdriver

        chrome_options = webdriver.ChromeOptions()
        for flag in HEADLESS_FLAGS:
            chrome_options.add_argument(flag)
        chrome_options.add_experimental_option("prefs", {"intl.accept_languages": ACCEPT_LANGUAGE})
        chrome_options.page_load_strategy = "normal"
        try:
            if self.options.remote_url:
                self.driver = webdriver.Remote(command_executor=self.options.remote_url, options=chrome_options)
            else:
                driver_path = find_chromedriver(self.options.chromedriver)
                binary = find_chromium()
                if binary:
                    chrome_options.binary_location = binary
                self._profile = tempfile.mkdtemp(prefix="guideline-lint-chromium-")
                chrome_options.add_argument(f"--user-data-dir={self._profile}")
                self._service = webdriver.ChromeService(executable_path=driver_path)
                self.driver = webdriver.Chrome(service=self._service, options=chrome_options)
        except EnvironmentProblem:
            raise
        except (KeyboardInterrupt, SystemExit):  # SIGINT/SIGTERM while starting: Selenium leaves its driver running
            self.quit()
            raise
        except Exception as exc:  # WebDriverException, or urllib3's errors when a Grid does not answer
            self.quit()
            where = self.options.remote_url or "chromium"
            detail = (getattr(exc, "msg", None) or str(exc) or type(exc).__name__).splitlines()[0][:300]
            raise EnvironmentProblem(
                Text(
                    ja=f"ブラウザを起動できません: {detail}",
                    en=f"cannot start the browser: {detail}",
                ),
                url=self.options.remote_url,
                hint=Text(
                    ja=f"{where} が動くか確かめてください（Debian: apt-get install chromium chromium-driver）。",
                    en=f"Check that {where} works (Debian: apt-get install chromium chromium-driver).",
                ),
            ) from exc
        timeout = self.options.page_timeout
        self.driver.set_page_load_timeout(timeout)
        self.driver.set_script_timeout(timeout)
        # The page always behaves as focused: otherwise, once a Tab walk leaves the document, :focus
        # styles stop matching on later pages of this session and focus checks would misjudge them.
        focused = {"enabled": True}
        if not self.options.remote_url:
            self.driver.execute_cdp_cmd("Emulation.setFocusEmulationEnabled", focused)
        try:
            if self.options.remote_url:
                self.devtools = DevTools.connect_grid(self.driver, self.options.remote_url, timeout)
                self.devtools.call("Emulation.setFocusEmulationEnabled", focused, timeout)
            else:
                self.devtools = DevTools.connect(self.driver, timeout)
        except Exception:  # no debugger address, no se:cdp (a Grid without CDP): pages go through WebDriver
            if self.devtools is not None:
                self.devtools.close()
            self.devtools = None
        if self.devtools is not None:
            # Registered once per session, on our own connection (isolated worlds belong to the DevTools session
            # that names them): the scripts then run in every new document and frame, which saves sending
            # axe with every page (half of the per-page cost otherwise).
            if self.options.preload_script:
                self.devtools.call("Page.addScriptToEvaluateOnNewDocument",
                                   {"source": self.options.preload_script}, timeout)
            if self.options.isolated_script:
                self.devtools.call("Page.addScriptToEvaluateOnNewDocument",
                                   {"source": self.options.isolated_script, "worldName": AUDIT_WORLD}, timeout)
            self.preloaded = True
        return self

    def kill(self) -> None:
        """Hard stop for a session that no longer answers (or never finished starting): kill its chromedriver's
        children, then it."""
        service = getattr(self.driver, "service", None) or self._service
        process = getattr(service, "process", None)
        if process is None or process.poll() is not None:
            return
        for child in _children(process.pid):
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
        with contextlib.suppress(OSError):
            process.kill()

    def quit(self) -> None:
        """Quit the browser; if it does not answer within a few seconds, kill it."""
        driver, self.driver = self.driver, None
        if self.devtools is not None:
            self.devtools.close()
            self.devtools = None
        if driver is None:
            self.kill()  # a chromedriver started without a session yet (interrupted start)
        else:
            done = threading.Event()

            def _quit() -> None:
                with contextlib.suppress(Exception):
                    driver.quit()
                done.set()

            threading.Thread(target=_quit, name="browser-quit", daemon=True).start()
            if not done.wait(10):
                self.driver = driver
                self.kill()
                self.driver = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None


class SessionPool:
    """Up to ``size`` sessions, started on first use and reused across pages. Thread-safe."""

    def __init__(self, options: BrowserOptions, size: int) -> None:
        self.options = options
        self.size = max(1, size)
        self._idle: list[Session] = []
        self._all: list[Session] = []
        self._lock = threading.Lock()
        self._available = threading.Semaphore(self.size)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one page. On an exception the session is discarded (a fresh one replaces it)."""
        self._available.acquire()
        try:
            with self._lock:
                current = self._idle.pop() if self._idle else None
            if current is None:
                current = Session(self.options)
                with self._lock:
                    self._all.append(current)
                try:
                    current.start()
                except BaseException:  # an interrupt too: a half-started browser must not outlive the run
                    self._forget(current)
                    current.quit()
                    raise
            try:
                yield current
            except BaseException:
                self._forget(current)
                current.quit()
                raise
            with self._lock:
                if current.driver is not None:
                    self._idle.append(current)
                elif current in self._all:
                    self._all.remove(current)
        finally:
            self._available.release()

    def discard(self, session: Session) -> None:
        """Throw a session away after a hang or crash; the next page gets a fresh one."""
        self._forget(session)
        session.quit()

    def _forget(self, session: Session) -> None:
        with self._lock:
            if session in self._all:
                self._all.remove(session)

    def close(self) -> None:
        with self._lock:
            sessions, self._all, self._idle = list(self._all), [], []
        for session in sessions:
            session.quit()

    def __enter__(self) -> SessionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
