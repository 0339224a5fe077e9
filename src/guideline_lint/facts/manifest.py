"""Facts about the manifest: its validated data and where each value stands in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from guideline_lint.model import Location

MISSING = object()
_INDEX = re.compile(r"^(.*)\[(\d*)\]$")


@cache
def split_path(path: str) -> tuple[str | int | None, ...]:
    """'data.open_data[0].files' -> ('data', 'open_data', 0, 'files'); '[]' (every item) -> None.

    Cached: the paths come from the checks, a few hundred of them, judged against every manifest."""
    parts: list[str | int | None] = []
    for piece in path.split("."):
        indices: list[int | None] = []
        while m := _INDEX.match(piece):
            piece, idx = m.group(1), m.group(2)
            indices.insert(0, int(idx) if idx else None)
        parts.append(piece)
        parts.extend(indices)
    return tuple(parts)


@dataclass(slots=True)
class ManifestFacts:
    file: str  # path as shown to the user, relative to the repository root
    data: dict[str, Any]  # the validated manifest as plain Python values (dates are dates)
    positions: dict[str, tuple[int, int]]  # dotted path -> (line, column), 1-based, of the value

    def resolve(self, path: str) -> list[tuple[str, Any]]:
        """Every (concrete path, value) that ``path`` names; '[]' fans out over list items.

        A missing key yields (the path so far, MISSING) so callers can point at where to add it."""
        results: list[tuple[str, Any]] = [("", self.data)]
        for part in split_path(path):
            step: list[tuple[str, Any]] = []
            for prefix, value in results:
                if value is MISSING:
                    step.append((prefix, MISSING))
                elif part is None:
                    if isinstance(value, list):
                        step.extend((f"{prefix}[{i}]", item) for i, item in enumerate(value))
                    else:
                        step.append((prefix, MISSING))
                elif isinstance(part, int):
                    ok = isinstance(value, list) and part < len(value)
                    step.append((f"{prefix}[{part}]", value[part] if ok else MISSING))
                else:
                    name = f"{prefix}.{part}" if prefix else part
                    if isinstance(value, dict) and value.get(part) is not None:
                        step.append((name, value[part]))
                    else:
                        step.append((name, MISSING))
            results = step
        return results

    def get(self, path: str, default: Any = None) -> Any:
        found = self.resolve(path)
        return found[0][1] if found and found[0][1] is not MISSING else default

    def locate(self, path: str) -> Location:
        """The position of ``path``, or of its nearest ancestor present (where to add it)."""
        probe = path
        while probe:
            if probe in self.positions:
                line, column = self.positions[probe]
                return Location(file=self.file, line=line, column=column, path=path)
            probe = _parent_path(probe)
        return Location(file=self.file, line=1, column=1, path=path)


def _parent_path(path: str) -> str:
    """'a.b[2]' -> 'a.b' -> 'a' -> ''; always shorter, so a walk up ends."""
    bracket = path.rfind("[")
    if path.endswith("]") and bracket >= 0 and (path[bracket + 1:-1].isdigit() or bracket == len(path) - 2):
        return path[:bracket]
    return path[: max(path.rfind("."), 0)]
