"""The plain-document fast path builds exactly what ruamel's composer and constructor build, or steps aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from guideline_lint import yamlio
from guideline_lint.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def both(text: str) -> tuple[yamlio.LoadedYaml | None, yamlio.LoadedYaml]:
    return yamlio._parse_plain_document(text, True), yamlio._parse_with(text, "x.yaml", True, pure=False)


def same(fast: yamlio.LoadedYaml, slow: yamlio.LoadedYaml) -> None:
    assert repr(fast.data) == repr(slow.data)  # repr: NaN != NaN, and types must match too (1 vs 1.0 vs True)
    assert fast.positions == slow.positions
    assert fast.key_positions == slow.key_positions


def repository_yaml() -> list[Path]:
    found = [*ROOT.glob("checks/**/*.yaml"), *ROOT.glob("rulesets/*.yaml"), *ROOT.glob("examples/**/*.yaml"),
             *ROOT.glob("tests/**/*.yaml")]
    return sorted(path for path in found if path.stat().st_size < yamlio.MAX_YAML_BYTES)


def test_every_yaml_file_of_the_repository_parses_the_same_both_ways() -> None:
    fast_count = 0
    files = repository_yaml()
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = yamlio._parse_plain_document(text, True)
        try:
            slow = yamlio._parse_with(text, str(path), True, pure=False)
        except Exception:  # libyaml refuses it; then the fast path must have stepped aside too
            assert fast is None, path
            continue
        if fast is not None:
            fast_count += 1
            same(fast, slow)
    # The fast path is the one normally taken; libyaml rejects a few YAML 1.2 files (URLs in flow lists).
    assert fast_count >= 0.9 * len(files)


SCALARS = """\
plain: text
quoted: "123"
single: '2026-01-01'
int: 42
negative: -7
underscored: 1_000
octal: 0o17
hex: 0x1F
float: 3.5
exponent: 1e3
infinity: .inf
not_a_number: .nan
true_value: true
false_value: False
null_value: ~
null_word: null
empty:
date: 2026-11-26
datetime: 2026-11-26T10:00:00+09:00
yes_is_text_in_1_2: yes
on_is_text: on
version: 1.10
japanese: 東京都デジタルサービス
block: |
  line one
  line two
folded: >
  folded
  text
2: integer key
true: boolean key
flow: {a: 1, b: [x, "y", 3]}
list:
  - one
  - {nested: 2}
  - - deep
    - 3.0
a.b: dotted key
a:
  b: same dotted path, recorded once
"""


def test_scalars_resolve_as_yaml_1_2_does() -> None:
    fast, slow = both(SCALARS)
    assert fast is not None
    same(fast, slow)
    assert fast.data["yes_is_text_in_1_2"] == "yes" and fast.data["int"] == 42 and fast.data["null_value"] is None
    assert fast.positions["list[1].nested"] == (35, 14)


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1}\nuse: *b\n",  # anchors and aliases (the alias-bomb guard lives on the ruamel path)
        "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n",  # merge keys
        "a: !!str 1\n",  # explicit tags
        "%YAML 1.1\n---\na: yes\n",  # a version directive changes how scalars resolve
        "a: 1\n---\nb: 2\n",  # two documents
        "? [complex, key]\n: value\n",  # a non-scalar key
        "a: 1\na: 2\n",  # a duplicate key: ruamel names it
        "a: {b: 1\n",  # a syntax error
        "",  # empty
        "---\n",  # a document holding nothing
        "= : 1\n",  # the YAML "value" key
    ],
)
def test_anything_unusual_is_left_to_ruamel(text: str) -> None:
    assert yamlio._parse_plain_document(text, True) is None


def test_errors_and_refusals_are_unchanged(tmp_path: Path) -> None:
    with pytest.raises(InputError) as duplicate:
        yamlio.parse_yaml("a: 1\na: 2\n", "x.yaml")
    assert duplicate.value.line == 2
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    )
    with pytest.raises(InputError, match="100,000"):
        yamlio.parse_yaml(bomb, "bomb.yaml")


def test_deep_nesting_is_refused_where_it_goes_too_deep() -> None:
    deep = "a: " + "[" * 300 + "]" * 300 + "\n"
    with pytest.raises(InputError) as caught:
        yamlio.parse_yaml(deep, "deep.yaml")
    # the root mapping is level 1, so the 101st level is the 100th bracket, at column 3 + 100
    assert (caught.value.line, caught.value.column) == (1, 3 + yamlio.MAX_DEPTH)


@pytest.mark.parametrize("anchor", ["", "&x "])
def test_nesting_at_the_limit_is_read_on_both_paths(anchor: str) -> None:
    levels = yamlio.MAX_DEPTH - 1  # plus the root mapping
    text = f"a: {anchor}" + "[" * levels + "]" * levels + "\n"
    assert yamlio.parse_yaml(text, "ok.yaml").data["a"] is not None
    with pytest.raises(InputError):
        yamlio.parse_yaml(f"a: {anchor}" + "[" * (levels + 1) + "]" * (levels + 1) + "\n", "deep.yaml")


def test_without_positions_only_data_is_built() -> None:
    loaded = yamlio._parse_plain_document(SCALARS, False)
    assert loaded is not None and loaded.positions == {} and loaded.data["int"] == 42
