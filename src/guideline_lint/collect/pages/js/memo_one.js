t.exports = function () {
  // memoizee's normalizer for one argument (get-1), keyed by a Map instead of a linear search (see scripts.py).
  let last = 0, ids = new Map(), args = new Map();
  return {
    get(call) { const id = ids.get(call[0]); return id === undefined ? null : id; },
    set(call) { ids.set(call[0], ++last); args.set(last, call[0]); return last; },
    delete(id) { if (args.has(id)) { ids.delete(args.get(id)); args.delete(id); } },
    clear() { ids = new Map(); args = new Map(); },
  };
}
