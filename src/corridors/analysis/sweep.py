"""Sweep many scenarios over a lane set into a SQLite store, locally or on a Dask cluster.

Work is split by scenario: each task applies one scenario and routes every lane. Results are
written a scenario at a time in one transaction; a resumed sweep skips complete scenarios, and only resumes a file
written over the same network and lanes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from os import PathLike

from corridors.analysis.cases import NO_SCENARIO, case_by_name, route_lanes
from corridors.analysis.lanes import Lane
from corridors.io.sweep_store import ResultRow, SweepStore
from corridors.routing import RouteOptions

BASE = NO_SCENARIO
"""Name of the case with no scenario applied."""


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep did: scenarios computed now, and skipped because already stored."""

    computed: tuple[str, ...]
    skipped: tuple[str, ...]
    rows: int


@cache
def _network(network_path: str | None):
    from corridors.io import load_atlas, read_network

    return read_network(network_path) if network_path else load_atlas()


def scenario_rows(network_path: str | None, scenario: str, lanes: Sequence[Lane], objective: str) -> tuple[str, str, int, list[ResultRow]]:
    """Route every lane under one scenario; returns (scenario, description, changes, rows), the
    rows stored under the name or path as given.

    A plain function of picklable arguments, so that Dask workers can run it; each worker loads
    the network once.
    """
    network = _network(network_path)
    options = RouteOptions(objective=objective)
    case = case_by_name(network, scenario, options)
    rows = []
    for result in route_lanes(case, list(lanes)):
        r = result.route
        rows.append(ResultRow(
            scenario=scenario, lane=result.lane.id, objective=objective,
            origin=result.lane.origin, destination=result.lane.destination, reachable=r is not None,
            distance_km=round(r.distance_km, 3) if r else None, time_h=round(r.time_h, 4) if r else None,
            cost_usd=round(r.cost_usd, 3) if r else None, co2e_kg=round(r.co2e_kg, 3) if r else None,
            via=r.via_summary() if r else "", corridors=";".join(sorted(r.corridors)) if r else "",
            countries=";".join(r.countries) if r else "",
            reason="" if r else result.reason,
        ))
    return scenario, case.description, len(case.changes), rows


def _inputs_digest(network_path: str | None, lanes: Sequence[Lane]) -> str:
    """What a sweep's results depend on besides the scenario: the network and the lanes."""
    text = json.dumps([network_path or "packaged atlas", [dataclasses.astuple(lane) for lane in lanes]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sweep(
    scenarios: Sequence[str],
    lanes: Sequence[Lane],
    store: str | PathLike[str] | SweepStore,
    *,
    objective: str = "generalized",
    network_path: str | None = None,
    dask: str | bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> SweepSummary:
    """Route ``lanes`` under every scenario (``"atlas"`` for none) and store the results.

    Parameters
    ----------
    scenarios
        Built-in names or YAML paths.
    store
        SQLite file (created if missing) or an open :class:`SweepStore`.
    dask
        False to run here; True for a local Dask cluster; a scheduler address
        (``tcp://host:8786``) for a real one.
    progress
        Called as ``progress(done, total, scenario)`` after each scenario is stored.
    """
    own = not isinstance(store, SweepStore)
    db = SweepStore(store) if own else store
    try:
        db.claim(_inputs_digest(network_path, lanes))
        done = db.done(objective)
        todo = [s for s in scenarios if s not in done]
        skipped = tuple(s for s in scenarios if s in done)
        computed: list[str] = []
        rows = 0

        def record(result: tuple[str, str, int, list[ResultRow]], requested: str) -> None:
            nonlocal rows
            _, description, changes, batch = result
            db.write_scenario(requested, objective, description, changes, batch)
            computed.append(requested)
            rows += len(batch)
            if progress:
                progress(len(computed), len(todo), requested)

        if not dask:
            for scenario in todo:
                record(scenario_rows(network_path, scenario, tuple(lanes), objective), scenario)
        else:
            _run_on_dask(todo, lanes, objective, network_path, dask, record)
        return SweepSummary(tuple(computed), skipped, rows)
    finally:
        if own:
            db.close()


def _run_on_dask(todo, lanes, objective, network_path, dask, record) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ImportError("sweeps on Dask need the 'dask' extra: pip install 'corridors[dask]'") from None
    cluster = None
    if dask is True:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(dask)
    try:
        futures = {client.submit(scenario_rows, network_path, s, tuple(lanes), objective, pure=False): s for s in todo}
        for future in as_completed(futures):
            record(future.result(), futures[future])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
