t.exports = function (length) {
  // memoizee's normalizer for a fixed number of arguments (get-fixed): a tree of Maps, one level per argument,
  // instead of arrays searched linearly (see scripts.py).
  let last = 0, root = new Map(), calls = Object.create(null);
  return {
    get(call) {
      let level = root;
      for (let i = 0; i < length - 1; i++) { level = level.get(call[i]); if (level === undefined) return null; }
      const id = level.get(call[length - 1]);
      return id === undefined ? null : id;
    },
    set(call) {
      let level = root;
      for (let i = 0; i < length - 1; i++) {
        let next = level.get(call[i]);
        if (next === undefined) { next = new Map(); level.set(call[i], next); }
        level = next;
      }
      level.set(call[length - 1], ++last);
      calls[last] = call;
      return last;
    },
    delete(id) {
      const call = calls[id];
      if (call === undefined) return;
      const path = [root];
      for (let i = 0; i < length - 1; i++) {
        const next = path[i].get(call[i]);
        if (next === undefined) return;
        path.push(next);
      }
      if (!path[length - 1].delete(call[length - 1])) return;
      for (let i = length - 2; i >= 0 && path[i + 1].size === 0; i--) path[i].delete(call[i]);
      delete calls[id];
    },
    clear() { root = new Map(); calls = Object.create(null); },
  };
}
