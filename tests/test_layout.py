"""Unit tests on the concept map's layered layout, with plain graphs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from concept_layout import Waypoint, layered


def test_every_edge_points_down_and_passes_a_waypoint_in_each_row_between():
    nodes = ["pm", "om", "lean", "pi", "op"]
    edges = [("pm", "om"), ("om", "lean"), ("lean", "pi"), ("om", "pi"), ("pm", "op")]
    layout = layered(nodes, edges)
    row = layout.row_of()
    assert row["pm"] < row["om"] < row["lean"] < row["pi"]
    for (source, target), route in zip(edges, layout.routes, strict=True):
        assert route[0] == source and route[-1] == target
        assert [row[slot] for slot in route] == list(range(row[source], row[target] + 1))
        assert all(isinstance(slot, Waypoint) for slot in route[1:-1])


def test_a_cycle_is_laid_out_with_one_edge_reversed():
    layout = layered(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "a")])
    row = layout.row_of()
    assert len({row["a"], row["b"], row["c"]}) == 3
    assert layout.routes[2][0] == "c" and layout.routes[2][-1] == "a"  # still drawn from c to a


def test_nodes_without_edges_are_placed_too():
    layout = layered(["a", "b", "lonely"], [("a", "b")])
    assert set(layout.row_of()) >= {"a", "b", "lonely"}


def test_ordering_removes_a_crossing_that_the_input_order_has():
    # a->d and b->c cross when rows keep the input order; the sweeps untangle them.
    layout = layered(["a", "b", "c", "d"], [("a", "d"), ("b", "c")])
    top, bottom = layout.rows
    assert (top.index("a") < top.index("b")) == (bottom.index("d") < bottom.index("c"))


def test_nodes_with_room_spread_out_so_no_row_is_crowded():
    # a, b and c each point only at z; packed as low as possible they would share r's row (four
    # boxes, too wide for a phone). They may sit in any row above z, so they spread out.
    nodes = ["p", "q", "r", "z", "a", "b", "c"]
    edges = [("p", "q"), ("q", "r"), ("r", "z"), ("a", "z"), ("b", "z"), ("c", "z")]
    layout = layered(nodes, edges)
    row = layout.row_of()
    assert [row[n] for n in "pqrz"] == [0, 1, 2, 3]  # the chain that fixes the rows stays put
    assert max(sum(isinstance(s, str) for s in r) for r in layout.rows) == 2
    assert all(row[a] < row["z"] for a in "abc")


def test_a_chain_of_a_thousand_concepts_needs_no_recursion():
    nodes = [f"n{i}" for i in range(1000)]
    layout = layered(nodes, list(zip(nodes[1:], nodes, strict=False)))
    assert len(layout.rows) == 1000


@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))))
def test_any_graph_gets_a_route_for_every_edge(graph):
    n, pairs = graph
    nodes = [f"n{i}" for i in range(n)]
    edges = [(nodes[a], nodes[b]) for a, b in pairs]
    layout = layered(nodes, edges)
    row = layout.row_of()
    assert set(nodes) <= set(row)
    for (source, target), route in zip(edges, layout.routes, strict=True):
        assert route[0] == source and route[-1] == target
        steps = [row[b] - row[a] for a, b in zip(route, route[1:], strict=False)]
        assert all(step == steps[0] and abs(step) == 1 for step in steps)  # one row at a time, one direction
