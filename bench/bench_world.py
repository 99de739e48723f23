"""World-scale point-to-point, matrix and scenario-change routing: corridors.routing.fast vs peers.

Runs in a separate venv with the peers (see ``bench/requirements-peers.txt``); installs nothing::

    .venv-peers/bin/python bench/bench_world.py [--graph world_highways] [--pairs 100] [--json out.json]

On scgraph-data's graph, after joining nodes closer than 0.2 km, in one process: preprocessing
(CCH topology, customisation; scgraph CH; pandana CH), point-to-point with path (a full route
call: coordinates in, length and coordinate path out), a 100x100 matrix, re-answering after a
scenario change (1 % of arcs closed, 5 % re-costed x1.5) vs rebuilding, and the RSS each engine
adds. Every engine's distances are checked against scipy Dijkstra on the raw km weights.

With ``--world-route`` it also times the full public call, ``WorldRouter.route`` on the world
rail layer between the coordinates of the same OD pairs: snap, query and a ``Route`` with legs,
borders and names. That layer holds the same OSM railways, but the library joins close nodes by
adding short edges (keeping all 275k nodes) where this script merges them (212k nodes), and it
adds the atlas and the border rules; so this row is the product's call on the product's graph,
and scgraph is also timed on that layer's own arcs (the same graph but for the atlas).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
import time
import types
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import psutil
from _timing import Stats, ratio_label
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from corridors.routing.fast import CCHRouter, ScipyRouter
from corridors.routing.fast.chains import decompose
from corridors.routing.fast.cch import MAX_WORKERS, available_cores

EARTH_KM = 6371.0088
JOIN_KM = 0.2
RESOLUTION_KM = 1e-3  # weights rounded to whole metres


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rss_mib() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def measured(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Call ``fn`` once: (result, seconds, RSS delta MiB)."""
    before = rss_mib()
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    return out, seconds, rss_mib() - before


def repeated_ms(fn: Callable[[], Any], rounds: int = 5) -> tuple[Any, Stats]:
    """Call ``fn`` once to warm up, then ``rounds`` times: last result and latency stats."""
    out = fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return out, Stats.of(times)


def samples_ms(fn: Callable[[int, int], Any], pairs: np.ndarray) -> tuple[list[Any], Stats]:
    """Call ``fn(s, t)`` for every pair (after one warm-up call): results and latency stats."""
    fn(int(pairs[0, 0]), int(pairs[0, 1]))
    out, times = [], []
    for s, t in pairs:
        start = time.perf_counter()
        out.append(fn(int(s), int(t)))
        times.append((time.perf_counter() - start) * 1000.0)
    return out, Stats.of(times)


def alternating_samples_ms(fn_a: Callable[[int, int], Any], fn_b: Callable[[int, int], Any], pairs: np.ndarray,
                           passes: int = 4) -> tuple[Stats, Stats]:
    """Latency of two calls on the same pairs in alternating passes (A over every pair, then B,
    then B, then A, ...): each runs in a stretch of its own, as it would in use, and both see
    the machine's drift over the same span. Stats of each."""
    times: tuple[list[float], list[float]] = ([], [])
    for p in range(passes):
        for k, fn in (((0, fn_a), (1, fn_b)) if p % 2 == 0 else ((1, fn_b), (0, fn_a))):
            for s, t in pairs:
                start = time.perf_counter()
                fn(int(s), int(t))
                times[k].append((time.perf_counter() - start) * 1000.0)
    return Stats.of(times[0]), Stats.of(times[1])


# ---------------------------------------------------------------- data
def load_graph(name: str) -> tuple[list[dict[int, float]], list[list[float]]]:
    """scgraph-data's adjacency and nodes; its modules import ``scgraph.core``, gone in scgraph 3."""
    shim = types.ModuleType("scgraph.core")

    class GeoGraph:  # captures the data without building a peer object
        def __init__(self, graph: list[dict[int, float]], nodes: list[list[float]]) -> None:
            self.graph, self.nodes = graph, nodes

    shim.GeoGraph = GeoGraph  # type: ignore[attr-defined]
    sys.modules.setdefault("scgraph.core", shim)
    module = importlib.import_module(f"scgraph_data.{name}")
    geo = getattr(module, f"{name}_geograph")
    return geo.graph, geo.nodes


def joined_arcs(graph: list[dict[int, float]], nodes: list[list[float]]) -> dict[str, np.ndarray]:
    """Directed arcs (km) with nodes closer than 0.2 km merged (KD-tree on the unit sphere)."""
    counts = np.fromiter((len(a) for a in graph), dtype=np.int64, count=len(graph))
    tail = np.repeat(np.arange(len(graph)), counts)
    head = np.fromiter((h for a in graph for h in a), dtype=np.int64, count=int(counts.sum()))
    km = np.fromiter((w for a in graph for w in a.values()), dtype=np.float64, count=int(counts.sum()))
    latlon = np.radians(np.asarray(nodes, dtype=np.float64))
    xyz = np.column_stack([np.cos(latlon[:, 0]) * np.cos(latlon[:, 1]),
                           np.cos(latlon[:, 0]) * np.sin(latlon[:, 1]), np.sin(latlon[:, 0])])
    close = cKDTree(xyz).query_pairs(JOIN_KM / EARTH_KM, output_type="ndarray")
    n = len(graph)
    join = coo_matrix((np.ones(len(close)), (close[:, 0], close[:, 1])), shape=(n, n))
    _, label = connected_components(join, directed=False)
    rep = np.full(label.max() + 1, n)
    np.minimum.at(rep, label, np.arange(n))  # the lowest id of each group keeps its coordinates
    new_id = np.unique(rep, return_inverse=True)[1]
    t, h = new_id[label[tail]], new_id[label[head]]
    keep = t != h
    coords = np.asarray(nodes, dtype=np.float64)[np.unique(rep)]
    return {"tail": t[keep], "head": h[keep], "km": km[keep], "lat": coords[:, 0], "lon": coords[:, 1],
            "n_raw": np.array(n), "joined_pairs": np.array(len(close))}


def od_pairs(n: int, tail: np.ndarray, head: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Deterministic random OD pairs, distinct, both ends in the largest connected component."""
    g = csr_matrix((np.ones(len(tail)), (tail, head)), shape=(n, n))
    _, label = connected_components(g, directed=True, connection="strong")
    biggest = np.flatnonzero(label == np.bincount(label).argmax())
    rng = np.random.default_rng(seed)
    pairs = rng.choice(biggest, size=(count * 2, 2))
    return pairs[pairs[:, 0] != pairs[:, 1]][:count]


def scgraph_adjacency(n: int, tail: np.ndarray, head: np.ndarray, km: np.ndarray) -> list[dict[int, float]]:
    """scgraph's graph format: for each node, its heads and the km of the cheapest arc to each."""
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    order = np.lexsort((-km, head, tail))  # the last write per (tail, head) is the cheapest
    for t, h, w in zip(tail[order].tolist(), head[order].tolist(), km[order].tolist()):
        adj[t][h] = w
    return adj


def min_csr(n: int, tail: np.ndarray, head: np.ndarray, w: np.ndarray) -> csr_matrix:
    """CSR of the cheapest open arc per (tail, head); the oracle's graph."""
    ok = np.isfinite(w)
    order = np.lexsort((w[ok], head[ok], tail[ok]))
    t, h, ww = tail[ok][order], head[ok][order], w[ok][order]
    first = np.ones(len(t), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(t[first], minlength=n), out=indptr[1:])
    return csr_matrix((ww[first], h[first], indptr), shape=(n, n))


def oracle(n: int, a: dict[str, np.ndarray], w: np.ndarray, pairs: np.ndarray) -> tuple[np.ndarray, Stats]:
    """scipy Dijkstra (raw float km) for every pair, and its per-query latency."""
    g = min_csr(n, a["tail"], a["head"], w)
    out, stats = samples_ms(lambda s, t: float(dijkstra(g, indices=s)[t]), pairs)
    return np.asarray(out), stats


def check(name: str, got: np.ndarray, want: np.ndarray, tol_km: np.ndarray | float) -> dict[str, Any]:
    """Max deviation from the oracle and whether every value is within ``tol_km``."""
    got, want = np.asarray(got, float), np.asarray(want, float)
    both_inf = ~np.isfinite(got) & ~np.isfinite(want)
    with np.errstate(invalid="ignore"):
        diff = np.where(both_inf, 0.0, np.abs(got - want))
    ok = bool((diff <= tol_km).all())
    if not ok:
        log(f"!!! {name}: {(diff > tol_km).sum()} distances off the oracle, max {np.nanmax(diff):.4f} km")
    return {"max_abs_diff_km": float(np.nanmax(diff)) if len(diff) else 0.0, "ok": ok}


# ---------------------------------------------------------------- engines
def route_call(router: CCHRouter | ScipyRouter, tree: cKDTree, a: dict[str, np.ndarray], km: np.ndarray,
               lat0: float, lon0: float, lat1: float, lon1: float) -> dict[str, Any]:
    """What a corridors route does: snap both points, query, rebuild legs (arcs, km, coordinates)."""
    s, t = (int(i) for i in tree.query([[lat0, lon0], [lat1, lon1]])[1])
    d, arcs = router.path(s, t)
    nodes = np.concatenate([[s], a["head"][arcs]]).astype(np.int64)
    return {"length_km": d, "arcs": arcs, "arc_km": km[arcs],
            "coordinates": np.column_stack([a["lat"][nodes], a["lon"][nodes]])}


def route_call_lists(*args: Any) -> dict[str, Any]:
    """:func:`route_call` with Python lists out, as scgraph returns its coordinate path."""
    return {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in route_call(*args).items()}


def scenario_weights(km: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Close 1 % of arcs, re-cost another 5 % x1.5: (new weights, changed arc ids)."""
    rng = np.random.default_rng(seed + 1)
    changed = rng.choice(len(km), size=int(0.06 * len(km)), replace=False)
    closed, slower = changed[: len(km) // 100], changed[len(km) // 100 :]
    w = km.copy()
    w[closed] = np.inf
    w[slower] *= 1.5
    return w, changed


def run(args: argparse.Namespace) -> dict[str, Any]:
    res: dict[str, Any] = {"graph": args.graph, "resolution_km": RESOLUTION_KM}
    base = rss_mib()
    loaded, res["load_s"], _ = measured(lambda: load_graph(args.graph))
    a, res["join_s"], _ = measured(partial(joined_arcs, *loaded))
    del loaded
    n, km, tail, head = len(a["lat"]), a["km"], a["tail"], a["head"]
    res.update(nodes_raw=int(a["n_raw"]), nodes=n, arcs=len(km), joined_pairs=int(a["joined_pairs"]))
    log(f"{args.graph}: {res['nodes_raw']:,} nodes -> {n:,} after joining < {JOIN_KM} km; {len(km):,} arcs")
    pairs = od_pairs(n, tail, head, args.pairs, args.seed)
    rng = np.random.default_rng(args.seed + 2)
    src, tgt = (np.unique(pairs[:, 0])[: args.matrix], rng.permutation(pairs[:, 1])[: args.matrix])
    latlon = np.column_stack([a["lat"], a["lon"]])
    tree = cKDTree(latlon)
    res["rss_base_mib"] = rss_mib() - base

    log("... oracle: scipy dijkstra (float km)")
    want, res["scipy_p2p"] = oracle(n, a, km, pairs)
    res["check"] = {}

    # ---- ours: CCH
    log("... cch: topology, customise, queries")
    cch, res["cch_topology_s"], res["cch_topology_mib"] = measured(
        lambda: CCHRouter.build(n, tail, head, latitude=a["lat"], longitude=a["lon"], resolution=RESOLUTION_KM))
    _, res["cch_customize_s"], res["cch_customize_mib"] = measured(lambda: cch.customize(km))
    _, res["chains_s"], _ = measured(lambda: decompose(n, tail, head))  # part of the topology time
    chains = cch._chains
    res["junctions"], res["junction_arcs"] = len(chains.junctions), len(chains.tail)
    paths, res["cch_path"] = samples_ms(cch.path, pairs)
    got = np.array([d for d, _ in paths])
    arcs_on_path = np.array([len(p) for _, p in paths])
    res["max_arcs_on_path"] = int(arcs_on_path.max())
    res["median_arcs_on_path"] = float(np.median(arcs_on_path))
    # a path's junction arcs: runs of its input arcs that one junction arc stands for
    owners = [chains.owner[p] for _, p in paths if len(p)]
    res["median_junction_arcs_on_path"] = float(np.median([1 + np.count_nonzero(o[1:] != o[:-1]) for o in owners]))
    res["check"]["cch"] = check("cch", got, want, 0.5 * RESOLUTION_KM * arcs_on_path + 1e-9)
    res["check"]["cch_path_sums"] = check("cch path sums", [km[p].sum() for _, p in paths], want,
                                          0.5 * RESOLUTION_KM * arcs_on_path + 1e-9)
    _, res["cch_route"] = samples_ms(lambda s, t: route_call(cch, tree, a, km, *latlon[s], *latlon[t]), pairs)
    _, res["cch_route_lists"] = samples_ms(
        lambda s, t: route_call_lists(cch, tree, a, km, *latlon[s], *latlon[t]), pairs)
    tol = 0.5 * RESOLUTION_KM * 2 * res["max_arcs_on_path"] + 1e-9  # matrix and changed-scenario paths
    # pandana runs its matrix on every core (OpenMP); ours splits the sources over one metric per core
    parallel = cch.sibling(workers=min(available_cores(), MAX_WORKERS))
    parallel.customize(km)
    parallel.settle()  # its other metrics are customised in the background
    mat, res["cch_matrix"] = repeated_ms(lambda: parallel.matrix(src, tgt))
    res["cch_workers"] = parallel.workers
    _, res["cch_matrix_1"] = repeated_ms(lambda: cch.matrix(src, tgt))
    del parallel

    # ---- ours: scipy fallback (same API, exact on the same rounded weights)
    log("... scipy fallback router")
    sr, _, res["scipy_router_mib"] = measured(lambda: ScipyRouter.build(n, tail, head, resolution=RESOLUTION_KM))
    _, res["scipy_router_customize_s"], _ = measured(lambda: sr.customize(km))
    few = pairs[: max(10, len(pairs) // 5)]
    spaths, res["scipy_router_path"] = samples_ms(sr.path, few)
    res["check"]["cch_vs_scipy_router_exact"] = check(
        "cch vs scipy router", got[: len(few)], [d for d, _ in spaths], 0.0)
    smat, res["scipy_router_matrix_s"], _ = measured(lambda: sr.matrix(src, tgt))
    res["check"]["cch_matrix_vs_scipy_router_exact"] = check("cch matrix", mat, smat, 0.0)
    mat_want = dijkstra(min_csr(n, tail, head, km), indices=src)[:, tgt]
    res["check"]["cch_matrix_vs_oracle"] = check("cch matrix vs oracle", mat, mat_want, tol)

    # ---- scenario change: customise + query vs rebuilding
    log("... scenario change")
    w2, changed = scenario_weights(km, args.seed)
    want2, _ = oracle(n, a, w2, pairs[:20])
    _, res["cch_recustomize"] = repeated_ms(lambda: cch.customize(w2))
    p2, res["cch_path_after_change"] = samples_ms(cch.path, pairs[:20])
    res["check"]["cch_after_change"] = check("cch after change", [d for d, _ in p2], want2, tol)
    cch.customize(km)
    _, res["cch_update_s"], _ = measured(lambda: cch.update(changed, w2[changed]))
    p3, _ = samples_ms(cch.path, pairs[:20])
    res["check"]["cch_after_update"] = check("cch after partial update", [d for d, _ in p3], want2, tol)
    res["cch_reanswer_s"] = (res["cch_recustomize"].median_ms + res["cch_path_after_change"].median_ms) / 1000
    res["cch_rebuild_s"] = res["cch_topology_s"] + res["cch_customize_s"]
    res["cch_rebuild_from_data_s"] = res["load_s"] + res["join_s"] + res["cch_rebuild_s"]

    # ---- scgraph CH
    if not args.skip_scgraph:
        log("... scgraph: GeoGraph and contraction hierarchy")
        import scgraph

        adj = scgraph_adjacency(n, tail, head, km)
        geo, res["scgraph_load_s"], res["scgraph_load_mib"] = measured(
            lambda: scgraph.GeoGraph(graph=adj, nodes=latlon.tolist()))
        del adj
        _, res["scgraph_ch_s"], res["scgraph_ch_mib"] = measured(
            lambda: geo.graph_object.create_contraction_hierarchy())

        def sc_route(s: int, t: int) -> dict[str, Any]:
            return geo.get_shortest_path(
                origin_node={"latitude": latlon[s, 0], "longitude": latlon[s, 1]},
                destination_node={"latitude": latlon[t, 0], "longitude": latlon[t, 1]},
                algorithm_fn="contraction_hierarchy", output_units="km")

        sc, res["scgraph_route"] = samples_ms(sc_route, pairs)
        res["check"]["scgraph"] = check("scgraph", [r["length"] for r in sc], want, 1e-3)
        _, res["scgraph_ch_node_query"] = samples_ms(
            lambda s, t: geo.graph_object.contraction_hierarchy(origin_id=s, destination_id=t), pairs)
        res["scgraph_rebuild_s"] = res["scgraph_load_s"] + res["scgraph_ch_s"]
        del geo

    # ---- pandana CH
    if not args.skip_pandana:
        log("... pandana: network (CH) and queries")
        import pandana
        import pandas as pd

        def pd_build(w: np.ndarray) -> Any:
            ok = np.isfinite(w)
            return pandana.Network(pd.Series(a["lon"]), pd.Series(a["lat"]), pd.Series(tail[ok]),
                                   pd.Series(head[ok]), pd.DataFrame({"km": w[ok]}), twoway=False)

        net, res["pandana_build_s"], res["pandana_mib"] = measured(lambda: pd_build(km))

        def pd_route(s: int, t: int) -> dict[str, Any]:
            si, ti = (int(i) for i in tree.query([latlon[s], latlon[t]])[1])
            ids = net.shortest_path(si, ti)
            return {"length_km": net.shortest_path_length(si, ti), "coordinate_path": latlon[ids].tolist()}

        pr, res["pandana_route"] = samples_ms(pd_route, pairs)
        res["check"]["pandana"] = check("pandana", [r["length_km"] for r in pr], want, 0.1)
        orig, dest = np.repeat(src, len(tgt)), np.tile(tgt, len(src))
        pm, res["pandana_matrix"] = repeated_ms(lambda: net.shortest_path_lengths(orig, dest))
        res["check"]["pandana_matrix"] = check("pandana matrix", np.reshape(pm, mat.shape), mat_want, 0.1)
        del net
        _, res["pandana_rebuild_s"], _ = measured(lambda: pd_build(w2))

    if args.world_route:
        log("... corridors WorldRouter on the world rail layer (cached in ~/.cache/corridors)")
        from corridors.errors import NoRouteError
        from corridors.world import WorldOptions, load_world

        world, res["world_load_s"], _ = measured(lambda: load_world(layers=("rail",)))
        options = WorldOptions(objective="distance")
        world.route(f"{latlon[pairs[0, 0], 0]},{latlon[pairs[0, 0], 1]}",
                    f"{latlon[pairs[0, 1], 0]},{latlon[pairs[0, 1], 1]}", options)  # customise once

        def world_route(s: int, t: int) -> Any:
            return world.route(f"{latlon[s, 0]},{latlon[s, 1]}", f"{latlon[t, 0]},{latlon[t, 1]}", options)

        def routable(s: int, t: int) -> bool:
            try:
                world_route(s, t)
            except NoRouteError:  # the world's border rules (closed or missing crossings) part them
                return False
            return True

        ok = pairs[[routable(int(s), int(t)) for s, t in pairs]]
        routes, res["world_route"] = samples_ms(world_route, ok)
        res["world_route_pairs"] = len(ok)
        res["world_route_steps"] = float(np.median([len(r.steps) for r in routes]))
        if not args.skip_scgraph:  # scgraph on the product's own rail layer: the same graph, but the atlas
            log("... scgraph CH on the world rail layer the WorldRouter routes on")
            import scgraph

            rail = world.world.layers["rail"]
            layer_adj = scgraph_adjacency(rail.n_nodes, rail.tail(), np.asarray(rail.head), np.asarray(rail.length_km))
            geo = scgraph.GeoGraph(graph=layer_adj, nodes=np.column_stack([rail.lat, rail.lon]).tolist())
            del layer_adj
            geo.graph_object.create_contraction_hierarchy()

            def sc_layer_route(s: int, t: int) -> dict[str, Any]:
                return geo.get_shortest_path(
                    origin_node={"latitude": latlon[s, 0], "longitude": latlon[s, 1]},
                    destination_node={"latitude": latlon[t, 0], "longitude": latlon[t, 1]},
                    algorithm_fn="contraction_hierarchy", output_units="km")

            got = [sc_layer_route(int(s), int(t)) for s, t in ok]
            res["world_route_paired"], res["scgraph_world_route"] = alternating_samples_ms(world_route, sc_layer_route, ok)
            del geo
            # checked against Dijkstra on the layer's arcs between the layer nodes nearest the points
            near = cKDTree(np.column_stack([rail.lat, rail.lon])).query(latlon[ok.ravel()])[1].reshape(-1, 2)
            lengths = dijkstra(rail.to_scipy(), indices=np.unique(near[:, 0]))
            row = {int(s): i for i, s in enumerate(np.unique(near[:, 0]))}
            want_layer = [lengths[row[int(s)], int(t)] for s, t in near]
            res["check"]["scgraph_rail_layer"] = check("scgraph on the rail layer", [r["length"] for r in got], want_layer, 1e-3)
    return res


# ---------------------------------------------------------------- report
def table(res: dict[str, Any]) -> str:
    """Plain-text summary with ratios; targets from the issue."""
    def ms(key: str) -> float:
        v = res.get(key)
        return v.median_ms if isinstance(v, Stats) else float("nan")

    rows = [("graph", f"{res['graph']}: {res['nodes_raw']:,} -> {res['nodes']:,} nodes, {res['arcs']:,} arcs", ""),
            ("load + join (s)", f"{res['load_s']:.1f} + {res['join_s']:.1f}", "")]
    rows.append(("preprocess: cch topology / customise (s)",
                 f"{res['cch_topology_s']:.2f} / {res['cch_customize_s']:.2f}", ""))
    rows.append(("  junction graph (degree-two chains contracted)",
                 f"{res['junctions']:,} junctions of {res['nodes']:,} nodes, {res['junction_arcs']:,} arcs",
                 f"decomposition {res['chains_s']:.2f} s of the topology time"))
    rows.append(("  a path's arcs, median: input / junction", f"{res['median_arcs_on_path']:.0f} / "
                 f"{res['median_junction_arcs_on_path']:.0f}", "RoutingKit unpacks only the junction arcs"))
    if "scgraph_ch_s" in res:
        rows.append(("preprocess: scgraph load / CH (s)", f"{res['scgraph_load_s']:.2f} / {res['scgraph_ch_s']:.2f}", ""))
    if "pandana_build_s" in res:
        r = res["pandana_build_s"] / (res["cch_topology_s"] + res["cch_customize_s"])
        rows.append(("preprocess: pandana CH (s)", f"{res['pandana_build_s']:.2f}", f"cch {ratio_label(r)} faster (target >1)"))
    rows.append(("p2p: scipy dijkstra, distance only (ms)", f"{ms('scipy_p2p'):.2f}", "no early exit"))
    rows.append(("p2p: scipy fallback router.path (ms)", f"{ms('scipy_router_path'):.2f}", ""))
    rows.append(("p2p: cch router.path (ms)", f"{ms('cch_path'):.3f}", f"{ratio_label(ms('scipy_p2p') / ms('cch_path'))} vs scipy"))
    rows.append(("route call: cch (snap+path+legs+coords) (ms)", f"{ms('cch_route'):.3f}", "arrays out"))
    rows.append(("  same, Python lists out like scgraph (ms)", f"{ms('cch_route_lists'):.3f}", ""))
    if "scgraph_route" in res:
        r = ms("scgraph_route") / ms("cch_route")
        r2 = ms("scgraph_route") / ms("cch_route_lists")
        rows.append(("route call: scgraph CH get_shortest_path (ms)", f"{ms('scgraph_route'):.3f}",
                     f"cch {ratio_label(r)} faster (target >=5); lists {ratio_label(r2)}"))
        rows.append(("  scgraph CH node-level query (ms)", f"{ms('scgraph_ch_node_query'):.3f}", ""))
    if "pandana_route" in res:
        r = ms("pandana_route") / ms("cch_route")
        rows.append(("route call: pandana path+length (ms)", f"{ms('pandana_route'):.3f}", f"cch {ratio_label(r)} faster"))
    rows.append(("matrix 100x100: cch (ms)", f"{ms('cch_matrix'):.1f}",
                 f"exact (1 m grid), {res['cch_workers']} metrics; one metric {ms('cch_matrix_1'):.1f} ms"))
    rows.append(("matrix 100x100: scipy fallback (ms)", f"{res['scipy_router_matrix_s'] * 1000:.0f}", ""))
    if "pandana_matrix" in res:
        r = ms("pandana_matrix") / ms("cch_matrix")
        rows.append(("matrix 100x100: pandana (ms)", f"{ms('pandana_matrix'):.1f}", f"cch {ratio_label(r)} faster (target >=10)"))
    if "world_route" in res:
        note = f"{res['world_route_pairs']} routable pairs, median {res['world_route_steps']:.0f} steps"
        if "scgraph_route" in res:
            r = ms("scgraph_route") / ms("world_route")
            note += f"; {ratio_label(r)} faster than scgraph on the merged graph above"
        rows.append(("route call: corridors WorldRouter.route, rail layer (ms)", f"{ms('world_route'):.3f}", note))
        if "scgraph_world_route" in res:
            r = ms("scgraph_world_route") / ms("world_route_paired")
            rows.append(("  scgraph CH get_shortest_path on that rail layer (ms)", f"{ms('scgraph_world_route'):.3f}",
                         f"WorldRouter.route {ms('world_route_paired'):.3f} ms in passes alternating with it: "
                         f"{ratio_label(r)} faster on the same graph (target >=5)"))
    rows.append(("scenario: cch re-customise + query (s)", f"{res['cch_reanswer_s']:.3f}", f"partial update {res['cch_update_s']:.3f} s"))
    for key, name in (("cch_rebuild_s", "cch topology+customise"),
                      ("cch_rebuild_from_data_s", "cch from the data (load+join+topology+customise)"),
                      ("scgraph_rebuild_s", "scgraph load+CH"), ("pandana_rebuild_s", "pandana build")):
        if key in res:
            r = res[key] / res["cch_reanswer_s"]
            rows.append((f"scenario: rebuild {name} (s)", f"{res[key]:.2f}", f"re-answer {ratio_label(r)} faster (target >=100)"))
    mem = ", ".join(f"{k.removesuffix('_mib')} {res[k]:.0f}" for k in res if k.endswith("_mib"))
    rows.append(("RSS delta (MiB)", mem, ""))
    checks = ", ".join(f"{k} {'OK' if v['ok'] else 'MISMATCH'} ({v['max_abs_diff_km'] * 1000:.1f} m)" for k, v in res["check"].items())
    rows.append(("vs scipy dijkstra", checks, ""))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{w:<{width}}  {v}  {note}".rstrip() for w, v, note in rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--graph", default="world_railways", choices=["world_railways", "world_highways"])
    p.add_argument("--pairs", type=int, default=100, help="random connected OD pairs (50-200)")
    p.add_argument("--matrix", type=int, default=100, help="sources and targets in the matrix")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", type=Path)
    p.add_argument("--skip-scgraph", action="store_true", help="skip scgraph (its CH takes minutes on highways)")
    p.add_argument("--skip-pandana", action="store_true")
    p.add_argument("--world-route", action="store_true",
                   help="also time corridors' full WorldRouter.route on the world rail layer (builds its cache once)")
    args = p.parse_args()
    res = run(args)
    print(table(res))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        plain = {k: (v.to_dict() if isinstance(v, Stats) else v) for k, v in res.items()}
        args.json.write_text(json.dumps(plain, indent=2))
    return 0 if all(v["ok"] for v in res["check"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
