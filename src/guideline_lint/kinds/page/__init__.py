"""Kinds that judge audited pages (``Facts.pages``, one ``PageFacts`` per URL): one observation per page.

Every module of this package that defines ``KINDS`` registers them: a new page kind is one module here
(and its checks' YAML), nothing to list anywhere. A kind that needs its own in-page script declares it in
``needs`` (``Needs(page_scripts={script_key(js): js})``), may keep the script in a ``.js`` file beside its
module (``read_script``), and reads the script's result from ``page.dom[script_key(js)]``.

Nothing heavy is imported here: the browser work happened in ``collect/pages/``.
"""

from __future__ import annotations

import importlib
import pkgutil

from guideline_lint.kinds.base import Kind
from guideline_lint.kinds.page.common import read_script, script_key
from guideline_lint.kinds.page.dom import manual_probe
from guideline_lint.kinds.page.markup import scan_markup
from guideline_lint.kinds.page.security import judge_security_txt

__all__ = ["KINDS", "judge_security_txt", "manual_probe", "read_script", "scan_markup", "script_key"]


def _discover() -> list[type[Kind]]:
    kinds: list[type[Kind]] = []
    for module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
        kinds.extend(getattr(importlib.import_module(f"{__name__}.{module}"), "KINDS", ()))
    return kinds


KINDS: list[type[Kind]] = _discover()
