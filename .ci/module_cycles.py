#!/usr/bin/env python3
"""Checks that no two modules of a crate import each other, directly or through a loop.

Each source file is a module. A reference `crate::a::b::Item`, `super::Item` or `self::x::Item`
(in a `use` or inline) is an edge from the file to the deepest module file the path names; an item
that a folder's `mod.rs` re-exports (`pub use child::Item`) resolves to the child that defines it,
so a facade `mod.rs` that only declares and re-exports is not a node in a loop. A parent's own
`mod`/`pub use` lines are not edges. Prints every loop (strongly connected component) and exits 1
if there is one.

    python3 .ci/module_cycles.py crates/optml/src crates/optml-cli/src crates/optml-py/src
"""

import re
import sys
from pathlib import Path

USE_RE = re.compile(r"\b(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.S)
PATH_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")


def module_files(src: Path):
    """Module path (tuple of names) -> file."""
    mods = {}
    for f in src.rglob("*.rs"):
        rel = f.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts in (["lib"], ["main"]):
            parts = []
        elif parts[-1] == "mod":
            parts = parts[:-1]
        mods[tuple(parts)] = f
    return mods


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def drop_test_modules(text: str) -> str:
    """Removes `#[cfg(test)] mod name { ... }` blocks (their `super::*` is the file itself)."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand_use(tree: str):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)

    def split_top(s):
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        if cur:
            parts.append(cur)
        return parts

    def rec(s):
        if "{" not in s:
            return [re.sub(r"as\w+$", "", s)] if s else []
        head, rest = s.split("{", 1)
        inner = rest[: rest.rfind("}")]
        out = []
        for p in split_top(inner):
            for q in rec(p):
                out.append(head + q if q != "self" else head.rstrip(":"))
        return out

    return rec(tree)


def analyse(src: Path):
    mods = module_files(src)
    texts = {m: drop_test_modules(strip_comments(f.read_text())) for m, f in mods.items()}

    # Re-exports: module -> {name: full path it points at}
    reexports = {}
    for m, t in texts.items():
        table = {}
        for um in USE_RE.finditer(t):
            if not um.group(0).lstrip().startswith("pub"):
                continue
            for p in expand_use(um.group(1)):
                segs = p.split("::")
                if segs[-1] == "*":
                    continue
                table[segs[-1]] = absolute(m, segs)
        reexports[m] = table

    def resolve(path):
        """Deepest module a path names, following re-exports."""
        seen = set()
        while True:
            best = ()
            for k in range(len(path), -1, -1):
                if tuple(path[:k]) in mods:
                    best = tuple(path[:k])
                    break
            rest = path[len(best) :]
            if rest and rest[0] in reexports.get(best, {}) and (best, rest[0]) not in seen:
                seen.add((best, rest[0]))
                target = reexports[best][rest[0]]
                if target is None:
                    return best
                path = list(target) + rest[1:]
                continue
            return best

    edges = {m: set() for m in mods}
    for m, t in texts.items():
        own_decls = set()
        for um in USE_RE.finditer(t):
            is_pub = um.group(0).lstrip().startswith("pub")
            for p in expand_use(um.group(1)):
                segs = p.split("::")
                if segs[-1] == "*":
                    segs = segs[:-1]
                target_path = absolute(m, segs)
                if target_path is None:
                    continue
                dst = resolve(list(target_path))
                if is_pub and dst[: len(m)] == m:
                    own_decls.add(dst)  # a facade re-exporting its own child
                    continue
                if dst != m:
                    edges[m].add(dst)
        body = re.sub(r"\b(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*;", "", USE_RE.sub("", t))
        # A facade that also uses what it re-exports depends on the child that defines it.
        for name, target in reexports[m].items():
            if target is not None and re.search(rf"\b{re.escape(name)}\b", body):
                dst = resolve(list(target))
                if dst != m:
                    edges[m].add(dst)
        for pm in PATH_RE.finditer(body):
            segs = [pm.group(1)] + pm.group(2).split("::")[1:]
            target_path = absolute(m, segs)
            if target_path is None:
                continue
            dst = resolve(list(target_path))
            if dst != m:
                edges[m].add(dst)
    return mods, edges


def absolute(module, segs):
    """Absolute module path of `segs` written inside `module`."""
    if not segs:
        return None
    out = list(module)
    head = segs[0]
    if head == "crate":
        out, rest = [], segs[1:]
    elif head == "super":
        rest = segs
        while rest and rest[0] == "super":
            out = out[:-1]
            rest = rest[1:]
    elif head == "self":
        rest = segs[1:]
    else:
        # A child module named relative to this one (2018 paths); an external crate's path
        # resolves to this module itself and adds no edge.
        rest = segs
    return out + rest


def strongly_connected(edges):
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(comp)

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return comps


def main(dirs):
    failed = False
    for d in dirs:
        src = Path(d)
        _, edges = analyse(src)
        loops = strongly_connected(edges)
        name = lambda m: "crate::" + "::".join(m) if m else "crate"
        for comp in loops:
            failed = True
            print(f"{src}: modules import each other: " + ", ".join(sorted(map(name, comp))))
            for a in sorted(comp):
                for b in sorted(edges[a] & set(comp)):
                    print(f"    {name(a)} -> {name(b)}")
        if not loops:
            print(f"{src}: no import loops among {len(edges)} modules")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["crates/optml/src", "crates/optml-cli/src", "crates/optml-py/src"]))
