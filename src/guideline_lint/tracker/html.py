"""A tiny HTML builder that escapes by construction.

Every ``str`` given to :func:`el` is escaped; only :class:`Markup` (built here) passes through
unchanged. Data from reports and service registrations (names, messages, URLs) therefore cannot
inject markup into the dashboard even if a template forgets to escape.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as _escape

# Elements without content or closing tag.
_VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "col"})


class Markup(str):
    """Text that is already safe HTML."""

    __slots__ = ()


def escape(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(_escape(str(value), quote=True))


def _render_children(children: Iterable[object]) -> str:
    parts: list[str] = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, str | int | float):
            parts.append(escape(child))
        else:
            parts.append(_render_children(child))  # type: ignore[arg-type]
    return "".join(parts)


def join(*children: object) -> Markup:
    return Markup(_render_children(children))


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """``el("a", "text", href=url, class_="x")``: attribute names lose a trailing ``_`` and use ``-``
    for ``_``; ``True`` gives a bare attribute, ``None``/``False`` leaves it out."""
    rendered = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        rendered.append(f" {key}" if value is True else f' {key}="{escape(value)}"')
    opening = f"<{tag}{''.join(rendered)}>"
    if tag in _VOID:
        return Markup(opening)
    return Markup(f"{opening}{_render_children(children)}</{tag}>")
