"""Safe YAML reading for files people write: size limit, encoding detection, alias-bomb refusal, positions.

Every problem becomes an ``InputError`` naming the file, line and column, never a traceback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from guideline_lint.errors import InputError
from guideline_lint.model import Text
from guideline_lint.textfiles import MAX_TEXT_BYTES, read_text
from guideline_lint.yamlnodes import BadScalar, record_positions, refuse_alias_bombs

MAX_YAML_BYTES = MAX_TEXT_BYTES  # a manifest or check file is a few KiB; 1 MiB leaves room and bounds work
# Nesting levels. Manifests and checks nest about six deep; libyaml's composer recurses in C once per level
# (tens of thousands of levels crash the process) and its scanner slows down with depth, so the depth is
# measured on libyaml's iterative event stream, stopping at this many levels, before anything composes.
MAX_DEPTH = 100


class LoadedYaml(NamedTuple):
    data: Any  # plain dicts/lists/scalars
    positions: dict[str, tuple[int, int]]  # dotted path -> (line, column) of the value, 1-based
    key_positions: dict[str, tuple[int, int]]  # dotted path -> (line, column) of the key


def load_yaml(path: Path, display: str, *, positions: bool = True, redact: bool = False) -> LoadedYaml:
    """Load one YAML document. With ``positions`` the round-trip parser records where each value is.

    ``redact``: the file lies outside what the user pointed at (a link out of the repository, an ``extends``
    to another folder); errors then give positions only, never a piece of its content."""
    text = read_text(path, display)
    return parse_yaml(text, display, positions=positions, redact=redact)


def parse_yaml(text: str, display: str, *, positions: bool = True, redact: bool = False) -> LoadedYaml:
    """Parse with libyaml (ruamel.yaml.clib) when it accepts the text, else with ruamel's pure parser.

    libyaml implements YAML 1.1 and rejects some valid YAML 1.2 (e.g. a URL in a flow list), so any
    error from it is settled by the pure parser, whose answer (data or error message) is authoritative.
    Positions come from the composed nodes, so both paths report the same lines and columns.
    """
    from ruamel.yaml.error import YAMLError

    try:
        fast = _parse_plain_document(text, positions)
        if fast is not None:
            return fast
        if _c_parser() is not None:
            _check_depth(text)  # before libyaml's recursive composer sees the text
    except _TooDeep as deep:
        raise InputError(
            Text(ja=f"入れ子が深すぎます（{MAX_DEPTH} 段を超えています）。読み込みを中止しました。",
                 en=f"nested too deeply (more than {MAX_DEPTH} levels); refused."),
            file=display, line=deep.line, column=deep.column,
            hint=Text(ja="マニフェストの入れ子は数段で足ります。括弧 [ { の閉じ忘れがないか確かめてください。",
                      en="a manifest needs a few levels at most; check for unclosed [ or {."),
        ) from None
    except BadScalar as bad:
        raise bad.error(display, redact) from None
    try:
        return _parse_with(text, display, positions, pure=False, redact=redact)
    except (YAMLError, InputError):
        pass
    return _parse_with(text, display, positions, pure=True, redact=redact)


class _TooDeep(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


@cache
def _c_parser() -> Any:
    """ruamel.yaml.clib's libyaml binding, under the names ruamel.yaml.cyaml looks for; None without it."""
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found]
    except ImportError:
        try:
            from _ruamel_yaml_clibz import CParser  # type: ignore[import-not-found]
        except ImportError:
            return None
    return CParser


def _check_depth(text: str) -> None:
    """Raise _TooDeep when the document nests deeper than MAX_DEPTH. libyaml's event parser keeps its own
    stack (no recursion); it stops at the first level too many or at a syntax error (reported later)."""
    from ruamel.yaml.events import (
        MappingEndEvent,
        MappingStartEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    parser = _c_parser()(text)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep(event.start_mark.line + 1, event.start_mark.column + 1)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
            elif kind is StreamEndEvent:
                return
    except _TooDeep:
        raise
    except Exception:  # a syntax error: the parsers below report it with its position
        return


class _Bail(Exception):
    """The document uses something the plain-document path leaves to ruamel (anchors, tags, merges …)."""


_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"


@cache
def _plain_scalar_tools() -> tuple[dict[str, list[tuple[str, Any]]], dict[str, Any], Any]:
    """ruamel's own YAML 1.2 implicit-resolver table and scalar constructors, so that values come out
    exactly as ``YAML(typ="safe")`` would build them."""
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.resolver import VersionedResolver

    class Yaml12:
        processing_version = (1, 2)

    class Constructor(SafeConstructor):
        @property
        def resolver(self) -> Any:
            return Yaml12

    constructor = Constructor()
    # ruamel keeps its patterns behind lazy wrappers that cost an attribute lookup per use: unwrap them.
    table = {first: [(tag, pattern.match) for tag, pattern in entries]
             for first, entries in VersionedResolver(version=(1, 2)).versioned_resolver.items()}
    wanted = ("bool", "int", "float", "timestamp")
    builders = {f"tag:yaml.org,2002:{name}": SafeConstructor.yaml_constructors[f"tag:yaml.org,2002:{name}"]
                for name in wanted}
    return table, builders, constructor


def _parse_plain_document(text: str, positions: bool) -> LoadedYaml | None:
    """The fast path for the documents people actually write: one document, scalar keys, no anchors,
    aliases, tags, merge keys or duplicate keys. libyaml's events are built straight into dicts and lists,
    recording positions on the way; ruamel's composer and constructor cost five times as much.

    Returns None for anything else (including every error): the ruamel path then gives the authoritative
    answer or message, and the alias-bomb guard, so the two paths never disagree.
    """
    parser = _c_parser()
    if parser is None:
        return None
    try:
        return _build_from_events(parser(text), positions)
    except (_TooDeep, BadScalar):
        raise
    except (_Bail, RecursionError):
        return None
    except Exception:  # any libyaml error: the ruamel path reports it properly
        return None


def _build_from_events(parser: Any, want_positions: bool) -> LoadedYaml | None:
    from ruamel.yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
    from ruamel.yaml.nodes import ScalarNode

    table, builders, constructor = _plain_scalar_tools()

    def scalar(event: Any) -> Any:
        if event.tag is not None or event.anchor is not None:
            raise _Bail
        value = event.value
        candidates = table.get(value[:1])
        if candidates is None or not event.implicit[0]:  # most text; quoted and block scalars are strings
            return value
        tag = next((tag for tag, match in candidates if match(value)), _STR)
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        build = builders.get(tag)
        if build is None:  # merge keys ("<<"), "=" and the like: ruamel's business
            raise _Bail
        try:
            return build(constructor, ScalarNode(tag, value))
        except (ValueError, OverflowError) as exc:
            mark = event.start_mark
            raise BadScalar(value, tag, mark.line + 1, mark.column + 1, str(exc)) from None

    get = parser.get_event
    event = get()
    if type(event) is not StreamStartEvent:
        raise _Bail
    event = get()
    if type(event) is not DocumentStartEvent or event.version is not None or event.tags:
        raise _Bail
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}
    # Each open collection: [container, path, record positions?, is mapping, pending key, key text, key mark]
    stack: list[list[Any]] = []
    root: Any = None
    done = False
    while not done:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            finished = stack.pop()
            if finished[4] is not _NO_KEY:
                raise _Bail
            done = not stack
            continue
        if kind is ScalarEvent:
            is_collection = False
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None or event.anchor is not None:
                raise _Bail
            is_collection = True
        else:  # aliases; anything unexpected
            raise _Bail
        mark = event.start_mark
        where = (mark.line + 1, mark.column + 1)
        if stack:
            top = stack[-1]
            container, prefix, record = top[0], top[1], top[2]
            if top[3] and top[4] is _NO_KEY:  # a mapping key
                if is_collection:
                    raise _Bail
                key = scalar(event)
                if key in container:
                    raise _Bail  # ruamel reports duplicate keys
                top[4], top[5], top[6] = key, str(event.value), where
                continue
            if top[3]:
                path = f"{prefix}.{top[5]}" if prefix else top[5]
                child_record = record and want_positions and path not in values
                if child_record:
                    keys[path] = top[6]
                    values[path] = where
                value = _new_container(kind, MappingStartEvent) if is_collection else scalar(event)
                container[top[4]] = value
                top[4] = _NO_KEY
            else:
                path = f"{prefix}[{len(container)}]"
                child_record = record and want_positions
                if child_record:
                    values[path] = keys[path] = where
                value = _new_container(kind, MappingStartEvent) if is_collection else scalar(event)
                container.append(value)
        else:
            path, child_record = "", want_positions
            value = _new_container(kind, MappingStartEvent) if is_collection else scalar(event)
            root = value
            if not is_collection:
                done = True
        if is_collection:
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(*where)
            stack.append([value, path, child_record, kind is MappingStartEvent, _NO_KEY, "", None])
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise _Bail  # a second document: ruamel names the error
    if root is None:
        return None
    return LoadedYaml(data=root, positions=values, key_positions=keys)


_NO_KEY = object()


def _new_container(kind: type, mapping_kind: type) -> Any:
    return {} if kind is mapping_kind else []


@cache
def _resolver_class() -> Any:
    """ruamel's resolver looks up the YAML version for every scalar, through a failing attribute access
    under libyaml (a fifth of the parse time); the version cannot change within one document, so keep it."""
    from ruamel.yaml.resolver import VersionedResolver

    class OncePerDocumentResolver(VersionedResolver):
        @property
        def versioned_resolver(self) -> Any:
            cached = self.__dict__.get("_versioned")
            if cached is None:
                cached = self.__dict__["_versioned"] = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
            return cached

    return OncePerDocumentResolver


def _parse_with(text: str, display: str, positions: bool, *, pure: bool, redact: bool = False) -> LoadedYaml:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=pure)
    if not pure:  # libyaml ignores %YAML directives anyway: the version is the default for the whole run
        yaml.Resolver = _resolver_class()
    try:
        node = yaml.compose(text)
        if node is None:
            raise InputError(Text(ja="ファイルが空です。", en="the file is empty."), file=display, line=1, column=1)
        refuse_alias_bombs(node, display)
        try:
            data = yaml.constructor.construct_document(node)
        except (ValueError, OverflowError):
            bad = _find_bad_scalar(node)
            if bad is None:
                raise
            raise bad.error(display, redact) from None
    except MarkedYAMLError as exc:
        if not pure:
            raise
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if redact:  # ruamel's problem text quotes the file
            problem = "…"
        raise InputError(
            Text(ja=f"YAML の構文エラー: {problem}", en=f"YAML syntax error: {problem}"),
            file=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint=Text(ja="インデント、コロンの後の空白、引用符の閉じ忘れを確かめてください。",
                      en="check the indentation, the space after each colon and unclosed quotes."),
        ) from None
    except YAMLError as exc:
        if not pure:
            raise
        shown = "…" if redact else str(exc)
        raise InputError(Text(ja=f"YAML を読めません: {shown}", en=f"cannot read the YAML: {shown}"),
                         file=display) from None
    except RecursionError:
        raise InputError(Text(ja="YAML の入れ子が深すぎます。", en="the YAML is nested too deeply."),
                         file=display) from None
    if data is None:
        raise InputError(Text(ja="ファイルが空です。", en="the file is empty."), file=display, line=1, column=1)
    value_positions: dict[str, tuple[int, int]] = {}
    key_positions: dict[str, tuple[int, int]] = {}
    if positions:
        record_positions(node, "", value_positions, key_positions)
    return LoadedYaml(data=data, positions=value_positions, key_positions=key_positions)


def _find_bad_scalar(root: Any) -> BadScalar | None:
    """The first scalar that ruamel's constructor cannot build (it raises without a position)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    _, builders, constructor = _plain_scalar_tools()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            build = builders.get(node.tag)
            if build is None:
                continue
            try:
                build(constructor, ScalarNode(node.tag, node.value))
            except (ValueError, OverflowError) as exc:
                mark = node.start_mark
                return BadScalar(node.value, node.tag, mark.line + 1, mark.column + 1, str(exc))
        elif isinstance(node, MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None


