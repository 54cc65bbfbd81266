#!/usr/bin/env python3
"""Prints the cycles in the module graph of wsc's objects, one per line.

A module is an object file in the directory given (src/ of a build). Module
A depends on B when A uses a symbol that B defines (nm). The graph must be
free of cycles (doc/architecture.md, Layers): a cycle is a strongly
connected component of more than one module, printed with the symbols that
tie it. Exits 0 when there is none, 1 when there are, 2 when no object
file is found.
"""
import collections
import glob
import os
import subprocess
import sys


def symbols(path):
    """The symbols an object defines and the ones it uses."""
    out = subprocess.run(["nm", path], capture_output=True, text=True,
                         check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "TDBRCV":
            defined.add(f[2])
        elif len(f) == 2 and f[0] == "U":
            used.add(f[1])
    return defined, used


def graph(objs):
    """Module -> {module it uses: symbols}."""
    owner, uses = {}, {}
    for o in objs:
        m = os.path.basename(o)[:-2]
        defined, uses[m] = symbols(o)
        for s in defined:
            owner[s] = m
    g = collections.defaultdict(dict)
    for m, used in uses.items():
        for s in used:
            b = owner.get(s)
            if b is not None and b != m:
                g[m].setdefault(b, []).append(s)
    return g


def components(g):
    """Tarjan's strongly connected components, iteratively."""
    index, low, stack, on, out = {}, {}, [], set(), []
    for root in list(g):
        if root in index:
            continue
        work = [(root, iter(g[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(g[w])))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def main():
    objs = sorted(glob.glob(os.path.join(sys.argv[1], "*.o")))
    objs = [o for o in objs if os.path.basename(o) != "main.o"]
    if not objs:
        print("no object files in " + sys.argv[1])
        return 2
    g = graph(objs)
    cycles = [c for c in components(g) if len(c) > 1]
    for c in cycles:
        ties = ["%s->%s (%s)" % (a, b, ", ".join(sorted(g[a][b])))
                for a in c for b in sorted(g[a]) if b in c]
        print("cycle: " + " ".join(c) + ": " + "; ".join(ties))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
