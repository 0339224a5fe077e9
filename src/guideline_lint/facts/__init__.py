"""Facts: what collectors gathered about a service, for kinds to judge.

Collecting (reading the manifest, listing the repository, reading data files, loading pages in a
browser) happens before judging, so each kind can be tested on saved facts without a browser. The typed
fact models live here, in one place that both collectors and kinds import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from guideline_lint.facts.manifest import MISSING, ManifestFacts, split_path
from guideline_lint.facts.needs import Needs
from guideline_lint.facts.repo import RepoFacts

if TYPE_CHECKING:  # the data facts import the model; the page facts are only built by a run with pages
    from guideline_lint.facts.data import DataFileFacts
    from guideline_lint.facts.page import PageFacts

__all__ = ["MISSING", "VIEWPORTS", "Facts", "ManifestFacts", "Needs", "RepoFacts", "split_path"]

VIEWPORTS = ("desktop", "mobile")  # the viewports a page can be audited at, in the order they are reported


@dataclass(slots=True)
class Facts:
    """Everything the kinds may judge. ``None`` means 'not collected' (e.g. --no-pages)."""

    manifest: ManifestFacts | None = None
    repo: RepoFacts | None = None
    data: list[DataFileFacts] | None = None  # one per open-data table (collect/data/)
    pages: list[PageFacts] | None = None  # one per audited URL or local page
    today: date = field(default_factory=date.today)
    phase: str | None = None
