"""``data_file_format``: published files are in a machine-readable format (L1-01)."""

from __future__ import annotations

from pathlib import PurePosixPath

from pydantic import Field

from guideline_lint.facts import Facts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import files, none_observation
from guideline_lint.model import Location, Status, Target, Text


class FileFormatParams(Params):
    forbidden: list[str] = Field(
        default_factory=lambda: [".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".jpg", ".jpeg", ".png",
                                 ".gif", ".tif", ".tiff", ".html", ".htm", ".jtd", ".rtf"],
        description="extensions of formats made for reading or printing, not for machines")


class DataFileFormatKind(Kind):
    name = "data_file_format"
    target = Target.DATA
    Params = FileFormatParams
    summary = Text(ja="公開ファイルが機械判読可能な形式（CSV・XLSX・JSON 等）である",
                   en="published files are in a machine-readable format (CSV, XLSX, JSON …)")
    judges_unread_data = True  # a file that cannot be read is this check's one error, not every data check's

    def evaluate(self, params: FileFormatParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        forbidden = {s.lower() for s in params.forbidden}
        observations = []
        seen: set[str] = set()
        for item in items:
            if item.path in seen:
                continue  # one observation per file, not per worksheet
            seen.add(item.path)
            if item.error is not None:  # missing, empty, unreadable, not a regular file: never a silent pass
                observations.append(Observation(Status.ERROR, subject=item.path, location=Location(file=item.path),
                                                reason=item.error))
                continue
            suffix = PurePosixPath(item.path).suffix.lower()
            status = Status.FAIL if suffix in forbidden else Status.PASS
            observations.append(Observation(status, subject=item.path, location=Location(file=item.path),
                                            detail={"file": item.path, "format": suffix or "(none)"}))
        return observations
