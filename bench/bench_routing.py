"""Routing benchmark: corridors' route() on the built-in atlas and on a large synthetic network,
side by side with scipy and networkx Dijkstra on the same compiled state graph.

Run with ``make bench`` or ``.venv/bin/python bench/bench_routing.py --help``; see bench/README.md.
Installs nothing and writes nothing except the optional ``--json`` file.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

import corridors
from _peers import SINK, TimeGraph, attach_sink, components, networkx_graph, networkx_time_h, scipy_time_h, time_graph
from _report import environment, summary_table, write_json
from _synthetic import SyntheticSpec, synthetic_network
from _timing import Stats, peak_rss_mb, phase, ratio_label, timed
from corridors import Network, NoRouteError, RouteOptions, compile_graph, route
from corridors.graph import MultimodalGraph

REL_TOL = 1e-6
"""Largest relative difference between the engines' optima that counts as equal."""
METHODS = ("scipy dijkstra", "networkx dijkstra", "corridors route()")


def log(message: str) -> None:
    """Progress goes to stderr so stdout carries only the summary."""
    print(message, file=sys.stderr, flush=True)


# --- built-in data -------------------------------------------------------------------------


def builtin_network(path: str | None) -> tuple[Network | None, str, float]:
    """The packaged atlas, else the folder ``path``; with a label and the load time (s)."""
    try:
        network, ms = timed(corridors.load_atlas)
        return network, "packaged atlas (load_atlas)", ms / 1000
    except Exception as exc:  # the atlas is edited concurrently; any failure means fall back
        log(f"WARNING: load_atlas() failed: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    if path is None:
        return None, "skipped: load_atlas() failed and no --network was given", 0.0
    try:
        network, ms = timed(lambda: corridors.read_network(path))
    except Exception as exc:
        log(f"WARNING: read_network({path!r}) failed too: {str(exc).splitlines()[0]}")
        return None, f"skipped: load_atlas() and read_network({path}) failed", 0.0
    log(f"WARNING: using --network {path} instead of the packaged atlas")
    return network, f"fallback --network {path} (load_atlas failed)", ms / 1000


def builtin_pairs(network: Network, count: int, seed: int) -> tuple[list[tuple[str, str]], int]:
    """Up to ``count`` ordered node-id pairs that have a route; pairs are drawn deterministically
    from the sorted ids. Also returns how many drawn pairs were skipped (NoRouteError)."""
    ids = sorted(node.id for node in network.nodes)
    candidates = [(a, b) for a in ids for b in ids if a != b]
    random.Random(seed).shuffle(candidates)
    pairs: list[tuple[str, str]] = []
    skipped = 0
    for a, b in candidates:
        if len(pairs) == count:
            break
        try:
            route(network, a, b, RouteOptions(objective="time"))
            pairs.append((a, b))
        except NoRouteError:
            skipped += 1
    return pairs, skipped


def bench_builtin(args: argparse.Namespace) -> dict[str, Any]:
    """Cold compile time (ms) and route() latency per objective on the built-in network."""
    network, source, load_s = builtin_network(args.network)
    if network is None:
        return {"source": source, "network": None}
    with phase("built-in: compile_graph (cold)", log):
        graph, compile_ms = timed(lambda: compile_graph(network))
    pairs, skipped = builtin_pairs(network, args.atlas_pairs, args.seed)
    latency: dict[str, dict[str, Any]] = {}
    for objective in ("time", "generalized"):
        options = RouteOptions(objective=objective)
        with phase(f"built-in: route() {objective}, {len(pairs)} pairs x {args.rounds} rounds", log):
            for a, b in pairs:  # warm-up
                route(network, a, b, options)
            samples = [timed(lambda: route(network, a, b, options))[1]
                       for _ in range(args.rounds) for a, b in pairs]
        latency[objective] = Stats.of(samples).to_dict()
    return {
        "source": source, "load_s": load_s, "compile_ms": compile_ms, "rounds": args.rounds,
        "network": f"{len(network.nodes)} nodes, {len(network.links)} links",
        "states": graph.n_states, "edges": graph.n_edges, "pairs": len(pairs), "skipped_pairs": skipped,
        "pair_ids": [f"{a} -> {b}" for a, b in pairs], "route": latency,
    }


# --- synthetic network ---------------------------------------------------------------------


def _arrays(value: object) -> list[np.ndarray]:
    """The numpy arrays in a graph field: an array, a tuple of arrays or a mapping to arrays."""
    items = value.values() if isinstance(value, Mapping) else value if isinstance(value, tuple) else (value,)
    return [a for a in items if isinstance(a, np.ndarray)]


def array_bytes(graph: MultimodalGraph) -> int:
    """Bytes held by the compiled graph's numpy arrays (sum of ``nbytes``, headers excluded)."""
    return sum(a.nbytes for f in fields(graph) for a in _arrays(getattr(graph, f.name)))


def synthetic_pairs(graph: MultimodalGraph, tg: TimeGraph, count: int, seed: int) -> list[tuple[int, int]]:
    """``count`` random (origin, destination) node indices joined by some usable path."""
    label = components(tg)
    rng = np.random.default_rng(seed)
    pairs: list[tuple[int, int]] = []
    n = len(graph.network.nodes)
    while len(pairs) < count:
        o, d = (int(x) for x in rng.integers(0, n, 2))
        if o != d and np.intersect1d(label[graph.departures(o)], label[graph.arrivals(d)]).size:
            pairs.append((o, d))
    return pairs


def _query_once(method: str, ctx: dict[str, Any], o: int, d: int) -> tuple[float, float]:
    """One query by ``method``: (optimum h, wall ms)."""
    graph, net = ctx["graph"], ctx["network"]
    origins, destinations = graph.departures(o), graph.arrivals(d)
    if method == "scipy dijkstra":
        return timed(lambda: scipy_time_h(ctx["tg"], origins, destinations))
    if method == "networkx dijkstra":
        attach_sink(ctx["nx"], destinations)
        try:
            return timed(lambda: networkx_time_h(ctx["nx"], origins))
        finally:
            ctx["nx"].remove_node(SINK)
    options = RouteOptions(objective="time")
    result, ms = timed(lambda: route(net, net.nodes[o].id, net.nodes[d].id, options))
    return result.objective_value, ms


def _check(pair: tuple[str, str], optima: dict[str, float]) -> dict[str, Any] | None:
    """A mismatch record if any engine's optimum differs from scipy's beyond ``REL_TOL``."""
    ref = optima["scipy dijkstra"]
    worst = max(abs(v - ref) / max(abs(ref), 1e-12) for v in optima.values())
    if worst <= REL_TOL:
        return None
    log(f"!!! MISMATCH {pair[0]} -> {pair[1]}: " + ", ".join(f"{k} {v:.9g} h" for k, v in optima.items()))
    return {"pair": list(pair), "optima_h": optima, "relative": worst}


def run_queries(ctx: dict[str, Any], pairs: list[tuple[int, int]]) -> tuple[dict[str, list[float]], list]:
    """Each pair once per method, method order rotated per pair; samples (ms) and mismatches."""
    samples: dict[str, list[float]] = {m: [] for m in METHODS}
    mismatches: list[dict[str, Any]] = []
    net = ctx["network"]
    for k, (o, d) in enumerate(pairs):
        order = METHODS[k % 3:] + METHODS[:k % 3]
        optima: dict[str, float] = {}
        for method in order:
            optima[method], ms = _query_once(method, ctx, o, d)
            samples[method].append(ms)
        found = _check((net.nodes[o].id, net.nodes[d].id), optima)
        if found:
            mismatches.append(found)
    return samples, mismatches


def profile_route(ctx: dict[str, Any], pairs: list[tuple[int, int]]) -> str:
    """cProfile of route() over a few pairs: the 15 costliest functions by cumulative time."""
    net, options = ctx["network"], RouteOptions(objective="time")
    profiler = cProfile.Profile()
    profiler.enable()
    for o, d in pairs[:5]:
        route(net, net.nodes[o].id, net.nodes[d].id, options)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    return out.getvalue()


def bench_synthetic(args: argparse.Namespace) -> dict[str, Any]:
    """Generation and compile time, array memory, and query latency of the three engines."""
    with phase(f"synthetic: generate ~{args.nodes:,} nodes", log) as gen:
        network = synthetic_network(SyntheticSpec(nodes=args.nodes, seed=args.seed))
    with phase("synthetic: compile_graph (cold)", log) as comp:
        graph = compile_graph(network)
    tg = time_graph(graph, network.as_of_year)
    with phase("synthetic: networkx DiGraph build", log) as build:
        nx_graph = networkx_graph(tg)
    ctx = {"network": network, "graph": graph, "tg": tg, "nx": nx_graph}
    pairs = synthetic_pairs(graph, tg, args.pairs, args.seed + 1)
    with phase("synthetic: warm-up", log):
        run_queries(ctx, pairs[:1])
    with phase(f"synthetic: {len(pairs)} pairs x {len(METHODS)} engines", log):
        samples, mismatches = run_queries(ctx, pairs)
    stats = {m: Stats.of(s) for m, s in samples.items()}
    ratios = {m: stats[m].median_ms / stats["scipy dijkstra"].median_ms for m in METHODS}
    result = {
        "network": f"{len(network.nodes):,} nodes, {len(network.links):,} links, {len(network.borders):,} borders",
        "states": graph.n_states, "edges": graph.n_edges, "usable_edges": int(tg.matrix.nnz),
        "networkx_edges": nx_graph.number_of_edges(), "generate_s": gen["seconds"], "compile_s": comp["seconds"],
        "arrays_mb": array_bytes(graph) / 1e6, "networkx_build_s": build["seconds"], "pairs": len(pairs),
        "query": {m: s.to_dict() for m, s in stats.items()}, "ratio_vs_scipy": ratios,
        "ratio_label": {m: ratio_label(r) for m, r in ratios.items()}, "mismatches": mismatches,
        "peak_rss_mb": peak_rss_mb(),
    }
    if args.profile:
        result["profile"] = profile_route(ctx, pairs)
    return result


# --- command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options; ``--quick`` shrinks every size for a smoke run of a few seconds."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--nodes", type=int, default=200_000, help="synthetic network size (places); default 200000")
    p.add_argument("--pairs", type=int, default=50, help="synthetic OD pairs, each queried once per engine; default 50")
    p.add_argument("--atlas-pairs", type=int, default=10, help="built-in OD pairs; default 10")
    p.add_argument("--rounds", type=int, default=30, help="rounds over the built-in pairs after a warm-up; default 30")
    p.add_argument("--network", help="network folder to use if load_atlas() fails")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this path")
    p.add_argument("--seed", type=int, default=20250101, help="seed of every random choice")
    p.add_argument("--skip-builtin", action="store_true", help="only the synthetic benchmark")
    p.add_argument("--skip-synthetic", action="store_true", help="only the built-in benchmark")
    p.add_argument("--profile", action="store_true", help="also print a cProfile of route() on the synthetic network")
    p.add_argument("--quick", action="store_true", help="smoke run: 5000 nodes, 10 pairs, 5 rounds")
    args = p.parse_args(argv)
    if args.quick:
        args.nodes, args.pairs, args.rounds = 5_000, 10, 5
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks, print the summary, write JSON; 1 if any optimum mismatched."""
    args = parse_args(argv)
    results: dict[str, Any] = {"environment": environment(), "options": {k: str(v) for k, v in vars(args).items()}}
    if not args.skip_builtin:
        results["builtin"] = bench_builtin(args)
    if not args.skip_synthetic:
        results["synthetic"] = bench_synthetic(args)
        if "profile" in results["synthetic"]:
            print(results["synthetic"]["profile"])
    print(summary_table(results))
    if args.json:
        write_json(results, args.json)
        log(f"wrote {args.json}")
    return 1 if results.get("synthetic", {}).get("mismatches") else 0


if __name__ == "__main__":
    sys.exit(main())
