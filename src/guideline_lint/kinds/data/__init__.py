"""Kinds that judge open-data files (target ``data``) from the facts the data collector read.

Every kind returns one observation per file (per worksheet for XLSX). Which cells and rows are a
problem is decided by the rules in ``rules/``, one module per concept of the Digital Agency's
machine-readability rules; most data checks are YAML over ``data_problems``.
"""

from __future__ import annotations

from guideline_lint.kinds.base import Kind
from guideline_lint.kinds.data.documentation import DataDocumentationKind
from guideline_lint.kinds.data.encoding import DataEncodingKind
from guideline_lint.kinds.data.formats import DataFileFormatKind
from guideline_lint.kinds.data.problems import DataProblemsKind, ProblemsParams
from guideline_lint.kinds.data.same_headers import DataSameHeadersKind
from guideline_lint.kinds.data.standard import DataStandardHeadersKind, standard_datasets
from guideline_lint.kinds.data.units import DataColumnUnitsKind

KINDS: list[type[Kind]] = [DataProblemsKind, DataEncodingKind, DataFileFormatKind, DataStandardHeadersKind,
                           DataColumnUnitsKind, DataDocumentationKind, DataSameHeadersKind]

__all__ = ["KINDS", "ProblemsParams", "standard_datasets"]
