"""Safe YAML reading for files people write: size limit, encoding detection, alias-bomb refusal, positions.

Every problem becomes an ``InputError`` naming the file, line and column, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from guideline_lint.errors import InputError
from guideline_lint.model import Text

MAX_YAML_BYTES = 1024 * 1024  # a manifest or check file is a few KiB; 1 MiB leaves room and bounds work
MAX_NODES = 100_000  # nodes after alias expansion: far above any real file, far below a "billion laughs"
# Characters after alias expansion: one long string repeated by aliases is small to parse but huge in every
# copy made of it afterwards (validation, reports). Without aliases a document never reaches this.
MAX_EXPANDED_CHARS = 4 * MAX_YAML_BYTES
# Nesting levels. Manifests and checks nest about six deep; libyaml's composer recurses in C once per level
# (tens of thousands of levels crash the process) and its scanner slows down with depth, so the depth is
# measured on libyaml's iterative event stream, stopping at this many levels, before anything composes.
MAX_DEPTH = 100


@dataclass(slots=True)
class LoadedYaml:
    data: Any  # plain dicts/lists/scalars
    positions: dict[str, tuple[int, int]]  # dotted path -> (line, column) of the value, 1-based
    key_positions: dict[str, tuple[int, int]]  # dotted path -> (line, column) of the key


def read_text(path: Path, display: str, limit: int = MAX_YAML_BYTES) -> str:
    """The file as text, refusing what is too large, binary, not UTF-8 (naming the encoding found) or not a
    regular file: a FIFO or device would block or never end."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; what was opened is judged by its fstat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(Text(ja="ファイルが見つかりません。", en="file not found."), file=display) from None
    except PermissionError:
        raise InputError(Text(ja="ファイルを読む権限がありません。", en="permission denied."), file=display) from None
    except OSError as exc:
        raise _os_problem(exc, display) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(Text(ja="ファイルではなくフォルダです。", en="is a folder, not a file."), file=display)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                Text(ja=f"通常のファイルではありません（{_file_type(info.st_mode)[0]}）。読み込みません。",
                     en=f"is not a regular file (a {_file_type(info.st_mode)[1]}); not read."),
                file=display,
                hint=Text(ja="YAML のテキストファイルを指定してください。", en="give a YAML text file."),
            )
        if info.st_size > limit:
            raise InputError(
                Text(
                    ja=f"ファイルが大きすぎます（{info.st_size:,} バイト、上限 {limit:,} バイト）。",
                    en=f"file is too large ({info.st_size:,} bytes; the limit is {limit:,}).",
                ),
                file=display,
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)  # the file may have grown since fstat
    except OSError as exc:
        raise _os_problem(exc, display) from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise InputError(Text(ja=f"ファイルが大きすぎます（上限 {limit:,} バイト）。",
                              en=f"file is too large (the limit is {limit:,} bytes)."), file=display)
    return decode_utf8(raw, display)


def _os_problem(exc: OSError, display: str) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(Text(ja="シンボリックリンクが循環しています。", en="the symbolic link loops back on itself."),
                          file=display, hint=Text(ja="リンク先を実在のファイルにしてください。",
                                                  en="point the link at a real file."))
    return InputError(Text(ja=f"ファイルを読めません: {exc.strerror}", en=f"cannot read the file: {exc.strerror}"),
                      file=display)


def _file_type(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "名前付きパイプ（FIFO）", "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "デバイス", "device"
    if stat.S_ISSOCK(mode):
        return "ソケット", "socket"
    return "特殊ファイル", "special file"


def decode_utf8(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            Text(ja="UTF-16 で保存されています。UTF-8 で保存し直してください。",
                 en="the file is UTF-16; save it as UTF-8."),
            file=display,
        )
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise InputError(
            Text(ja="バイナリファイルです（NUL 文字を含みます）。YAML のテキストファイルを指定してください。",
                 en="this is a binary file (it contains NUL bytes); give a YAML text file."),
            file=display, line=line,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        encoding = guess_japanese_encoding(raw)
        if encoding:
            message = Text(
                ja=f"文字コードが {encoding} です。UTF-8 で保存し直してください。",
                en=f"the file is encoded in {encoding}, not UTF-8; save it as UTF-8.",
            )
        else:
            message = Text(ja="UTF-8 として読めないバイトがあります。UTF-8 で保存し直してください。",
                           en="the file is not valid UTF-8; save it as UTF-8.")
        raise InputError(message, file=display, line=line, column=column) from None


def guess_japanese_encoding(raw: bytes) -> str | None:
    """Name the legacy Japanese encoding that decodes ``raw`` cleanly, if one does."""
    for codec, name in (("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP"), ("iso2022_jp", "ISO-2022-JP")):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text):
            return name
    return None


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
    except _BadScalar as bad:
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


class _BadScalar(Exception):
    """A value that looks like a date, time or integer but is none (2026-02-30, T25:00, 5,000 digits)."""

    def __init__(self, value: str, tag: str, line: int, column: int, problem: str) -> None:
        super().__init__(value)
        self.value, self.tag, self.line, self.column, self.problem = value, tag, line, column, problem

    def error(self, display: str, redact: bool) -> InputError:
        shown = "" if redact else f"「{_clip(self.value)}」"
        shown_en = "" if redact else f"'{_clip(self.value)}' "
        if self.tag.endswith(":int") and "digits" in self.problem:
            text = Text(ja=f"数値が長すぎます（{len(self.value):,} 文字）。",
                        en=f"the number is too long ({len(self.value):,} characters).")
            hint = Text(ja="桁数の多い値は引用符で囲んで文字列にしてください。",
                        en="quote a value with that many digits to make it a string.")
        elif self.tag.endswith(":timestamp"):
            text = Text(ja=f"{shown}は存在しない日付・時刻です"
                           "（月は 1〜12、日はその月の日数まで、時は 0〜23、年は 1 以上）。",
                        en=f"{shown_en}is not a real date or time ({self.problem}).")
            hint = Text(ja="YYYY-MM-DD 形式の実在する日付を書いてください（例: 2026-02-28）。",
                        en="write a real date as YYYY-MM-DD (e.g. 2026-02-28).")
        else:
            text = Text(ja=f"{shown}は数値として読めません。", en=f"{shown_en}cannot be read as a number.")
            hint = Text(ja="文字列にするなら引用符で囲んでください。", en="quote it if it is meant as text.")
        return InputError(text, file=display, line=self.line, column=self.column, hint=hint)


def _clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


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
    except (_TooDeep, _BadScalar):
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
            raise _BadScalar(value, tag, mark.line + 1, mark.column + 1, str(exc)) from None

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
        _refuse_alias_bombs(node, display)
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
        _record_positions(node, "", value_positions, key_positions)
    return LoadedYaml(data=data, positions=value_positions, key_positions=key_positions)


def _find_bad_scalar(root: Any) -> _BadScalar | None:
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
                return _BadScalar(node.value, node.tag, mark.line + 1, mark.column + 1, str(exc))
        elif isinstance(node, MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None


def _refuse_alias_bombs(root: Any, display: str) -> None:
    """Count nodes and characters as if every alias were expanded; refuse documents that would explode."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    sizes: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    too_big = (MAX_NODES + 1, MAX_EXPANDED_CHARS + 1)

    def size(node: Any) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:  # a recursive alias: infinite when expanded
            return too_big
        visiting.add(key)
        nodes, chars = 1, 0
        if isinstance(node, ScalarNode):
            chars = len(node.value) if isinstance(node.value, str) else 1
        else:
            children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else \
                node.value if isinstance(node, SequenceNode) else []
            for child in children:
                child_nodes, child_chars = size(child)
                nodes += child_nodes
                chars += child_chars
                if nodes > MAX_NODES or chars > MAX_EXPANDED_CHARS:
                    break
        visiting.discard(key)
        sizes[key] = (nodes, chars)
        return nodes, chars

    nodes, chars = size(root)
    if nodes > MAX_NODES:
        message = Text(ja=f"エイリアス（*参照）を展開すると {MAX_NODES:,} 要素を超えます。読み込みを中止しました。",
                       en=f"expanding its aliases (*refs) would exceed {MAX_NODES:,} nodes; refused.")
    elif chars > MAX_EXPANDED_CHARS:
        message = Text(ja=f"エイリアス（*参照）を展開すると {MAX_EXPANDED_CHARS:,} 文字を超えます。"
                          "読み込みを中止しました。",
                       en=f"expanding its aliases (*refs) would exceed {MAX_EXPANDED_CHARS:,} characters; refused.")
    else:
        return
    raise InputError(
        message, file=display, line=root.start_mark.line + 1, column=root.start_mark.column + 1,
        hint=Text(ja="アンカーとエイリアスを使わずに書いてください。",
                  en="write the document without anchors and aliases."),
    )


def _record_positions(node: Any, prefix: str, values: dict[str, tuple[int, int]],
                      keys: dict[str, tuple[int, int]]) -> None:
    """Dotted path -> (line, column) from the composed node tree (1-based)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            if path in values:  # an alias reached twice: positions are already known
                continue
            keys[path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            values[path] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            _record_positions(value_node, path, values, keys)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            values[path] = keys[path] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _record_positions(item, path, values, keys)
