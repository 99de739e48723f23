"""Scenario analysis speed: every built-in scenario x the shipped lane set, compared with the
baseline, reusing the compiled base topology, beside the same work with full recompilation.

    .venv/bin/python bench/bench_scenarios.py [--rounds 5]

Medians over rounds; ratios under ~1.3x are ties on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

from corridors import load_atlas
from corridors.analysis import base_case, compare, load_access_pairs, load_lanes, scenario_case
from corridors.graph import compile as compile_module
from corridors.scenarios import builtin_scenarios


def run_all(atlas, scenarios, lanes, access) -> int:
    base = base_case(atlas)
    routes = 0
    for scenario in scenarios:
        result = compare(base, scenario_case(atlas, scenario), lanes, access)
        routes += 2 * len(result.lanes) + 2 * len(result.access)
    return routes


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    scenarios = builtin_scenarios()
    lanes, access = load_lanes(), load_access_pairs()
    reuse, recompile = [], []
    routes = 0
    for _ in range(args.rounds):
        atlas = load_atlas.__wrapped__()  # a fresh network each round: nothing cached from before
        reuse.append(timed(lambda: run_all(atlas, scenarios, lanes, access)))
        atlas = load_atlas.__wrapped__()
        original = compile_module._signature
        compile_module._signature = lambda network: (object(),)  # no two signatures match: recompile
        try:
            recompile.append(timed(lambda: run_all(atlas, scenarios, lanes, access)))
        finally:
            compile_module._signature = original
        routes = run_all(atlas, scenarios, lanes, access)
    r, c = statistics.median(reuse), statistics.median(recompile)
    print(f"{len(scenarios)} scenarios x {len(lanes)} lanes + {len(access)} access pairs, base and scenario: {routes} routes")
    print(f"  compare all, topology reused:  median {r:.3f} s  ({1000 * r / routes:.2f} ms per route)")
    print(f"  compare all, full recompile:   median {c:.3f} s  ratio {c / r:.2f}x")


if __name__ == "__main__":
    main()
