"""What the selected checks need collected, declared by their kinds (as Lighthouse audits declare
``requiredArtifacts``).

The pipeline asks every kind used by the selected checks (their ``when`` and ``assert``, nested ones
included) for its needs, takes the union and hands it to the collectors. Collectors gather what is asked
and nothing they would have to learn from the checks themselves: they import no kind, no loader and no
engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Optional facts of a page, each costing requests or browser time when asked for.
PageFact = Literal[
    "security_txt",  # the origin's /.well-known/security.txt
    "http_variant",  # how the http:// twin of an https page answers
    "keyboard",  # a Tab walk with real key events on pages that register focus handlers
]


@dataclass(slots=True)
class Needs:
    axe_rules: set[str] = field(default_factory=set)  # axe-core rule ids to run on each page
    page_scripts: dict[str, str] = field(default_factory=dict)  # key -> body of an in-page script
    page_facts: set[PageFact] = field(default_factory=set)

    def add(self, other: Needs) -> None:
        self.axe_rules |= other.axe_rules
        self.page_scripts.update(other.page_scripts)
        self.page_facts |= other.page_facts

    @property
    def pages(self) -> bool:
        """Whether any page fact beyond the HTTP answer is needed (a browser must be opened)."""
        return bool(self.axe_rules or self.page_scripts or self.page_facts)
