"""Layered layout of a directed graph, for the concept map: who sits in which row, in which order.

Pure Python, no MkDocs and no geometry. Every edge points from a higher row to a lower one (edges
that would close a cycle are laid out reversed), an edge spanning several rows passes through a
placeholder in each row between, so it can be drawn around the boxes rather than through them, and
rows are ordered to cross as few edges as a few barycentre sweeps can manage. Linear in the size of
the graph per sweep, so a site with a thousand concepts still builds at once.
"""

# Annotations evaluated at import, not strings: see the note in concept_records.py.

from collections.abc import Sequence
from typing import NamedTuple

SWEEPS = 8
MAX_SHIFT = 2  # rows a node may move to even out the rows: a longer move makes long, crowded edges


class Waypoint(NamedTuple):
    """A placeholder an edge passes through in a row it crosses."""

    edge: int
    row: int


Slot = str | Waypoint


class Layout(NamedTuple):
    """Rows of nodes (top first) and, per input edge, the slots it passes through from source to target."""

    rows: list[list[Slot]]
    routes: list[list[Slot]]

    def row_of(self) -> dict[Slot, int]:
        return _row_index(self.rows)


def _row_index(rows: list[list[Slot]]) -> dict[Slot, int]:
    """Slot -> the number of its row."""
    return {slot: r for r, row in enumerate(rows) for slot in row}


def _reversed_edges(nodes: Sequence[str], out: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Edges that close a cycle (found by an iterative depth-first search in the nodes' order)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[node] = 2
                stack.pop()
            elif state.get(target) == 1:
                back.add((node, target))
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(out[target])))
    return back


def _depths(nodes: Sequence[str], out: dict[str, list[str]]) -> dict[str, int]:
    """Longest path from each node down to a node with no outgoing edge (graph must be acyclic)."""
    incoming = {n: 0 for n in nodes}
    for n in nodes:
        for t in out[n]:
            incoming[t] += 1
    order = [n for n in nodes if incoming[n] == 0]
    for n in order:  # Kahn's algorithm: `order` grows while it is walked
        for t in out[n]:
            incoming[t] -= 1
            if incoming[t] == 0:
                order.append(t)
    depth: dict[str, int] = {}
    for n in reversed(order):
        depth[n] = 1 + max((depth[t] for t in out[n]), default=-1)
    return depth


def layered(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> Layout:
    """Lay `nodes` out in rows so every edge points down; `edges` keep their order in `routes`."""
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        if s != t and t not in out[s]:
            out[s].append(t)
    back = _reversed_edges(nodes, out)
    down: dict[str, list[str]] = {n: [] for n in nodes}
    for s in nodes:
        for t in out[s]:
            a, b = (t, s) if (s, t) in back else (s, t)
            if b not in down[a]:
                down[a].append(b)
    depth = _depths(nodes, down)
    top = max(depth.values(), default=0)
    row_of = {n: top - depth[n] for n in nodes}
    _balance(nodes, down, row_of, top)
    rows: list[list[Slot]] = [[] for _ in range(top + 1)]
    for n in nodes:
        rows[row_of[n]].append(n)

    routes: list[list[Slot]] = []
    for i, (s, t) in enumerate(edges):
        if s == t:
            routes.append([s])
            continue
        a, b = (t, s) if row_of[s] > row_of[t] else (s, t)
        route: list[Slot] = [a]
        for r in range(row_of[a] + 1, row_of[b]):
            waypoint = Waypoint(i, r)
            rows[r].append(waypoint)
            route.append(waypoint)
        route.append(b)
        routes.append(route if a == s else route[::-1])
    _order_rows(rows, routes)
    return Layout(rows, routes)


def _balance(nodes: Sequence[str], down: dict[str, list[str]], row_of: dict[str, int], top: int) -> None:
    """Move nodes that have room (no edge pins them to their row) out of crowded rows, in place.

    Longest-path layering packs every node as low as it can go, so sources and loosely tied nodes
    pile up in the lower rows and one row can get too wide for a phone. A node may sit anywhere
    below all its sources and above all its targets; from a row fuller than average it moves to the
    nearest such row (at most MAX_SHIFT away) that is emptier than average, so rows even out while
    edges stay short.
    """
    up: dict[str, list[str]] = {n: [] for n in nodes}
    for a in nodes:
        for b in down[a]:
            up[b].append(a)
    count = [0] * (top + 1)
    for n in nodes:
        count[row_of[n]] += 1
    fair = -(-len(nodes) // (top + 1))  # the average row, rounded up
    for n in nodes:
        here = row_of[n]
        if count[here] <= fair:
            continue
        lo = max((row_of[p] + 1 for p in up[n]), default=0)
        hi = min((row_of[t] - 1 for t in down[n]), default=top)
        for distance in range(1, min(MAX_SHIFT, max(here - lo, hi - here)) + 1):
            target = next((r for r in (here - distance, here + distance) if lo <= r <= hi and count[r] < fair), None)
            if target is not None:
                count[here] -= 1
                count[target] += 1
                row_of[n] = target
                break


def _order_rows(rows: list[list[Slot]], routes: list[list[Slot]]) -> None:
    """Reorder each row in place by the mean position of its neighbours, sweeping down and up."""
    above: dict[Slot, list[Slot]] = {}
    below: dict[Slot, list[Slot]] = {}
    row_of = _row_index(rows)
    for route in routes:
        for p, q in zip(route, route[1:], strict=False):
            upper, lower = (p, q) if row_of[p] < row_of[q] else (q, p)
            below.setdefault(upper, []).append(lower)
            above.setdefault(lower, []).append(upper)
    best = [list(row) for row in rows]
    best_crossings = _crossings(rows, below)
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        indices = range(1, len(rows)) if downward else range(len(rows) - 2, -1, -1)
        for r in indices:
            neighbours = above if downward else below
            ref = {slot: i for i, slot in enumerate(rows[r - 1 if downward else r + 1])}
            current = {slot: i for i, slot in enumerate(rows[r])}

            def key(slot: Slot, ref=ref, current=current, neighbours=neighbours) -> tuple[float, int]:
                linked = [ref[n] for n in neighbours.get(slot, []) if n in ref]
                return (sum(linked) / len(linked) if linked else current[slot], current[slot])

            rows[r].sort(key=key)
        crossings = _crossings(rows, below)
        if crossings < best_crossings:
            best, best_crossings = [list(row) for row in rows], crossings
    rows[:] = best


def _crossings(rows: list[list[Slot]], below: dict[Slot, list[Slot]]) -> int:
    """How many pairs of edges cross between adjacent rows."""
    total = 0
    for r in range(len(rows) - 1):
        lower = {slot: i for i, slot in enumerate(rows[r + 1])}
        pairs = sorted((i, lower[t]) for i, s in enumerate(rows[r]) for t in below.get(s, []) if t in lower)
        # Count inversions of the lower ends (pairs sorted by upper end): a simple merge count.
        total += _inversions([q for _, q in pairs])
    return total


def _inversions(values: list[int]) -> int:
    """Pairs i < j with values[i] > values[j], counted by merge sort in O(n log n)."""
    if len(values) < 2:
        return 0
    middle = len(values) // 2
    left, right = values[:middle], values[middle:]
    count = _inversions(left) + _inversions(right)
    left.sort()
    right.sort()
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            i += 1
        else:
            count += len(left) - i
            j += 1
    return count
