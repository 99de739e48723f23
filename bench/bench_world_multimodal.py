"""The full multimodal world graph (OSM rail and road, marnet sea, the atlas): build, memory,
route latency, and re-answering after a scenario change.

    .venv/bin/python bench/bench_world_multimodal.py [--pairs 50] [--rounds 5]

Target: a route query (places to places, with the Route built) under 5 ms median. Uses the disk
caches (~/.cache/corridors); delete them to time a cold build. Ratios under ~1.3x are ties.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np

from corridors.world import WorldOptions, load_world

PLACES = ["Mumbai", "Moscow", "Shanghai", "Rotterdam", "Baku", "Tbilisi", "Istanbul", "Tehran", "Aktau",
          "Urumqi", "Warsaw", "Bandar Abbas", "Poti", "Almaty", "Yerevan", "Xian", "Budapest",
          "29.56,106.55", "48.85,2.35", "40.71,-74.0", "-33.9,18.4", "1.29,103.85", "35.68,139.76"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    router = load_world()
    loaded = time.perf_counter() - start
    world = router.world
    print(f"world graph: {world.n_nodes:,} nodes, {world.n_arcs:,} arcs, arrays {world.nbytes / 1e6:.0f} MB; "
          f"load (cached layers and preprocessing) {loaded:.1f} s; peak RSS {rss_mb():.0f} MB")
    options = WorldOptions(objective="time")
    start = time.perf_counter()
    router.query(options)  # customises the metric
    print(f"customisation for one objective: {time.perf_counter() - start:.2f} s")
    rng = np.random.default_rng(11)
    pairs = []
    while len(pairs) < args.pairs:
        o, d = rng.choice(PLACES, 2, replace=False)
        pairs.append((str(o), str(d)))
    start = time.perf_counter()
    router.route("Shanghai", "Rotterdam", options)
    print(f"first route (makes the route builder: every node's nearest named place): "
          f"{time.perf_counter() - start:.2f} s")
    ok = []
    for o, d in pairs:
        try:
            router.route(o, d, options)
            ok.append((o, d))
        except Exception:  # noqa: BLE001 - unreachable pairs are skipped, and counted
            pass
    times = []
    for _ in range(args.rounds):
        for o, d in ok:
            t = time.perf_counter()
            router.route(o, d, options)
            times.append(time.perf_counter() - t)
    print(f"route query with its Route built: median {1000 * statistics.median(times):.2f} ms, "
          f"p90 {1000 * float(np.percentile(times, 90)):.2f} ms over {len(times)} queries ({len(ok)} pairs routable "
          f"of {len(pairs)})")
    closed = WorldOptions(objective="time", closed_chokepoints=frozenset({"suez", "bab_el_mandeb", "red_sea", "bering_arctic"}))
    start = time.perf_counter()
    router.route("Shanghai", "Rotterdam", closed)
    rean = time.perf_counter() - start
    print(f"re-answer after a scenario change (Red Sea closed: re-customise and route): {rean:.2f} s")
    print(f"peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
