"""axe-core's memo tables are indexed (scripts.with_indexed_memos): the bundled axe is patched, and each replacement
answers every sequence of calls exactly as memoizee's own normalizer does."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from guideline_lint.collect.pages.scripts import MEMO_NORMALIZERS, asset, axe_bundle, axe_source, with_indexed_memos


def test_the_bundled_axe_core_is_patched() -> None:
    bundle, patched = axe_bundle(), axe_source()
    for original in MEMO_NORMALIZERS.values():
        assert bundle.count(original) == 1, "the bundled axe-core changed: update MEMO_NORMALIZERS (scripts.py)"
        assert original not in patched
    assert "new Map()" in patched


def test_another_build_is_left_as_it_is() -> None:
    other = "var x=1;" + next(iter(MEMO_NORMALIZERS.values())) * 2  # not exactly once: not touched
    assert with_indexed_memos(other) == other
    assert with_indexed_memos("axe.version='0'") == "axe.version='0'"


# memoizee's normalizers in their minified form, with what their closure names stand for: a, s = es5-ext's eIndexOf
# (indexOf that also finds NaN), n = Object.create.
_HARNESS = """
const eIndexOf = function (value) {
  if (value === value) return Array.prototype.indexOf.apply(this, arguments);
  for (let i = 0; i < this.length; i++) if (this[i] !== this[i]) return i;
  return -1;
};
const make = (text) => { const t = {}; new Function('t', 'a', 's', 'n', text)(t, eIndexOf, eIndexOf, Object.create);
                         return t.exports; };
const [original, replacement, length, steps, pool] = arguments;
const values = [NaN, 0, -0, 1, '1', null, undefined, {}, {}, [], 'a'].concat(pool.map(() => ({})));
const tables = [make(original)(length), make(replacement)(length)];
const answers = [[], []];
let live = [];  // ids set and not deleted since (memoizee deletes only those)
for (const [op, picks] of steps) {
  const call = picks.map(i => values[i % values.length]);
  const doomed = op === 'delete' && live.length ? live.splice(picks[0] % live.length, 1)[0] : null;
  tables.forEach((table, k) => {
    if (op === 'get') answers[k].push(table.get(call));
    else if (op === 'set') {
      if (table.get(call) === null) { const id = table.set(call); answers[k].push(id); if (k === 0) live.push(id); }
    } else if (doomed !== null) table.delete(doomed);
    else if (op === 'clear') { table.clear(); if (k === 0) live = []; }
  });
}
return answers.map(a => JSON.stringify(a));
"""


@pytest.mark.browser
@pytest.mark.parametrize(("name", "length"), [("memo_one.js", 1), ("memo_fixed.js", 2), ("memo_fixed.js", 3)])
def test_each_replacement_answers_as_memoizee_does(page_pool: Any, name: str, length: int) -> None:
    rng = random.Random(f"{name}{length}")
    steps = [[rng.choice(["get", "get", "set", "set", "delete"] + ["clear"] * (rng.random() < 0.02)),
              [rng.randrange(30) for _ in range(length)]] for _ in range(3000)]
    with page_pool.session() as session:
        original, replacement = session.driver.execute_script(
            _HARNESS, MEMO_NORMALIZERS[name], asset(name), length, steps, list(range(20)))
    assert json.loads(original) == json.loads(replacement)
    assert len(json.loads(original)) > 1500  # gets and sets answered, ids and misses alike
