"""The problem rules of the open-data checks, one module per concept of the Digital Agency's rules.

Importing this package registers every rule (``base.py``); the order below is the order the rules run
in (row rules: layout first, so a layout row's cells are not judged). A new problem type is a new
module here and its name in this list."""

from __future__ import annotations

# isort: off
from guideline_lint.kinds.data.rules import layout  # noqa: F401  (first: decides which rows are data)
from guideline_lint.kinds.data.rules import text  # noqa: F401
from guideline_lint.kinds.data.rules import header  # noqa: F401
from guideline_lint.kinds.data.rules import numbers  # noqa: F401
from guideline_lint.kinds.data.rules import missing  # noqa: F401
from guideline_lint.kinds.data.rules import several  # noqa: F401
from guideline_lint.kinds.data.rules import dates  # noqa: F401
from guideline_lint.kinds.data.rules import regions  # noqa: F401
from guideline_lint.kinds.data.rules import omitted  # noqa: F401
from guideline_lint.kinds.data.rules import choices  # noqa: F401
from guideline_lint.kinds.data.rules import columns  # noqa: F401
from guideline_lint.kinds.data.rules import workbook  # noqa: F401
from guideline_lint.kinds.data.rules import delimiter  # noqa: F401
from guideline_lint.kinds.data.rules import placeholders  # noqa: F401
# isort: on
from guideline_lint.kinds.data.rules.base import PROBLEM_TYPES, Occurrence, ProblemLog, Problems
from guideline_lint.kinds.data.rules.judge import judge

__all__ = ["PROBLEM_TYPES", "Occurrence", "ProblemLog", "Problems", "judge"]
