"""``corridors``: route freight on the corridor atlas from the command line.

Commands: ``route``, ``places``, ``data check``, ``data map``. A user error exits with code 2
and one clear message on stderr; never a traceback.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from corridors.errors import CorridorsError, DataError

if TYPE_CHECKING:  # pragma: no cover - types only
    from rich.table import Table

app = typer.Typer(
    name="corridors", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Freight routes, costs and CO2e on the Caspian and South Caucasus corridors.",
)
data_app = typer.Typer(no_args_is_help=True, help="Check and draw network data.")
app.add_typer(data_app, name="data")

out = Console(width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True)


class Format(str, Enum):
    """What ``route`` writes on stdout."""

    table = "table"
    json = "json"
    geojson = "geojson"


class ReportFormat(str, Enum):
    """What ``compare`` and ``critical`` write on stdout (their results are tables, not maps)."""

    table = "table"
    json = "json"


class ObjectiveChoice(str, Enum):
    time = "time"
    cost = "cost"
    co2 = "co2"
    distance = "distance"
    generalized = "generalized"


NetworkOption = Annotated[
    Optional[Path],
    typer.Option("--network", help="Network to use instead of the built-in atlas: a folder of ours or of GMNS tables, "
                 "or a .gpkg file (docs/data-format.md).", envvar="CORRIDORS_NETWORK"),
]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _network(path: Optional[Path]):
    from corridors.io import load_atlas, read_network

    return read_network(path) if path else load_atlas()


def _split(values: Optional[list[str]]) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@app.command()
def route(
    origin: Annotated[str, typer.Argument(metavar="FROM", help="Place name, id, 'Name, CC' or 'lat,lon'.")],
    destination: Annotated[str, typer.Argument(metavar="TO", help="Place name, id, 'Name, CC' or 'lat,lon'.")],
    via: Annotated[Optional[list[str]], typer.Option("--via", help="Place, link id or border id to pass, in order (repeatable).")] = None,
    avoid: Annotated[Optional[list[str]], typer.Option("--avoid", help="Place, link id or border id to avoid (repeatable).")] = None,
    objective: Annotated[ObjectiveChoice, typer.Option(help="What to minimise.")] = ObjectiveChoice.generalized,
    modes: Annotated[Optional[str], typer.Option(help="Allowed modes, comma-separated: rail,road,sea,ferry,iww.")] = None,
    avoid_country: Annotated[Optional[list[str]], typer.Option("--avoid-country", help="ISO codes to avoid, comma-separated.")] = None,
    year: Annotated[Optional[int], typer.Option(help="Network year; planned links due by then are usable.")] = None,
    month: Annotated[Optional[int], typer.Option(help="Month of the shipment, 1-12: links out of their navigation season (the Volga-Don, April-November) are closed.")] = None,
    alternatives: Annotated[int, typer.Option(help="Number of materially different routes.", min=1, max=10)] = 1,
    cargo: Annotated[str, typer.Option(help="A cargo unit of the network (the atlas: teu, feu, truck) or t:N (N tonnes of bulk).")] = "teu",
    fmt: Annotated[Format, typer.Option("--format", help="Output format on stdout; with --alternatives, json is a list "
                                        "and geojson one FeatureCollection whose features carry each route's rank.")] = Format.table,
    geojson: Annotated[Optional[Path], typer.Option("--geojson", help="Also write the route(s) as GeoJSON here.")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML map report here.")] = None,
    scenario: Annotated[Optional[str], typer.Option("--scenario", help="Built-in scenario name or a scenario YAML file.")] = None,
    world: Annotated[bool, typer.Option("--world", help="Route on the world rail, road and sea layers too (places, ports or lat,lon anywhere).")] = False,
    close: Annotated[Optional[list[str]], typer.Option("--close", help="With --world: chokepoints to close, e.g. suez,bab_el_mandeb.")] = None,
    network: NetworkOption = None,
) -> None:
    """Find the best route from FROM to TO, leg by leg, with time, cost and CO2e."""
    from corridors.io import route_to_html, to_geojson_text
    from corridors.io._atomic import write_atomic
    from corridors.routing import RouteOptions
    from corridors.session import Session

    if close and not world:
        _fail("--close closes chokepoints of the world sea layer: add --world, or drop --close "
              "(a scenario closes atlas links and borders)")
    spinner = _Spinner()
    try:
        options = RouteOptions(
            objective=objective.value,
            modes=frozenset(_split([modes])) if modes else None,
            avoid_countries=frozenset(_split(avoid_country)),
            avoid=tuple(_split(avoid)), via=tuple(via or ()), year=year, month=month, cargo=cargo,
        )
        with Session(network, progress=spinner) as session:
            net = session.network
            if scenario:
                applied = session.applied(scenario)
                net = applied.network
                err.print(f"under scenario {applied.name}: {len(applied.changes)} change(s) to the network"
                          + (f", {len(applied.rules)} flow rule(s)" if applied.rules else ""))
            if world:
                _need_world_extra()
            routes = session.route(origin, destination, options, scenario=scenario, world=world,
                                   close=_split(close), alternatives=alternatives)
    except CorridorsError as exc:
        _fail(str(exc))
        return
    finally:
        spinner.stop()
    best = routes[0]
    if fmt is Format.json:
        payload = best.to_dict() if len(routes) == 1 else [r.to_dict() for r in routes]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif fmt is Format.geojson:
        sys.stdout.write(to_geojson_text(_routes_geojson(routes)))
    else:
        from corridors.cli.render import alternatives_table, print_tables, route_table

        for snap, name in zip(best.snaps_km, (best.origin_name, best.destination_name)):
            if snap > 0:
                err.print(f"snapped to {name}, {snap:.1f} km away")
        print_tables(out, route_table(best))
        if best.not_yet_built:
            out.print(f"[yellow]note:[/] {len(best.not_yet_built)} leg(s) use links not built in {net.as_of_year}.")
        seasonal = _seasonal_links(net, best)
        if seasonal and month is None:
            out.print(f"[yellow]note:[/] the route uses {', '.join(seasonal)}, navigable only part of the year; "
                      "give --month to route for a month.")
        if len(routes) > 1:
            print_tables(out, alternatives_table(routes))
    if geojson:
        write_atomic(geojson, to_geojson_text(_routes_geojson(routes)))
        err.print(f"wrote {geojson}")
    if html:
        write_atomic(html, route_to_html(best, net, alternatives=tuple(routes) if len(routes) > 1 else ()))
        err.print(f"wrote {html}")


def _routes_geojson(routes) -> dict:
    """The routes as GeoJSON: :func:`~corridors.routing.ranked.ranked_geojson`."""
    from corridors.routing.ranked import ranked_geojson

    return ranked_geojson([r.to_geojson() for r in routes])


def _seasonal_links(net, route) -> list[str]:
    """Links with a navigation season on ``route``, each with it ("astrakhan--volgograd--iww
    (April to November)")."""
    from corridors.model.seasons import describe

    links = (net.link_by_id[i] for leg in route.legs for i in leg.link_ids if i in net.link_by_id)
    return list(dict.fromkeys(f"{link.id} ({describe(link.open_months)})" for link in links if link.open_months))


def _need_world_extra() -> None:
    """Exit with a clear message if the world extra is missing (``--world``)."""
    try:
        import corridors.world  # noqa: F401
    except ImportError:
        _fail("--world needs the 'world' extra: pip install 'corridors[world]'")


class _Spinner:
    """A session's progress callback: a spinner on stderr from the first message until stopped."""

    def __init__(self) -> None:
        self._status = None

    def __call__(self, message: str) -> None:
        if self._status is None:
            self._status = err.status(message + "...")
            self._status.start()
        else:
            self._status.update(message + "...")

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


@app.command()
def places(
    query: Annotated[str, typer.Argument(help="Part of a name, alias or id.")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    network: NetworkOption = None,
) -> None:
    """Search the network's places by name, alias or id."""
    from rich.table import Table

    from corridors.routing import search_places

    try:
        net = _network(network)
    except CorridorsError as exc:
        _fail(str(exc))
        return
    found = search_places(net, query, limit=limit)
    if not found:
        _fail(f"no place matches {query!r}", code=1)
    table = Table("id", "name", "country", "kind", "handles", "aliases")
    for node in found:
        table.add_row(node.id, node.name, node.country, node.kind.value,
                      ",".join(sorted(m.value for m in node.handles)), "; ".join(node.aliases))
    out.print(table)


@app.command()
def scenarios() -> None:
    """List the built-in scenarios with their descriptions."""
    from rich.table import Table

    from corridors.scenarios import builtin_scenarios

    table = Table("name", "year", "description", title="Built-in scenarios (use with --scenario NAME)", show_lines=True)
    for sc in builtin_scenarios():
        table.add_row(sc.name, str(sc.spec.base.year or ""), (sc.spec.title + ": " if sc.spec.title else "") + " ".join(sc.spec.description.split()))
    out.print(table)


def _lane_table(title: str, changes) -> Table:
    """A rich table of lane changes: status, hours and USD before and after, the route after."""
    from rich.table import Table

    table = Table("lane", "status", "h before", "h after", "USD before", "USD after", "Δ USD", "via after",
                  title=title, title_justify="left")
    for c in changes:
        b, a = c.before.route, c.after.route
        delta = c.delta("cost_usd")
        table.add_row(c.lane.id, c.status, f"{b.time_h:,.0f}" if b else "-", f"{a.time_h:,.0f}" if a else "-",
                      f"{b.cost_usd:,.0f}" if b else "-", f"{a.cost_usd:,.0f}" if a else "-",
                      f"{delta:+,.0f}" if delta is not None else "", a.via_summary() if a else "no route")
    return table


@app.command()
def compare(
    cases: Annotated[list[str], typer.Argument(metavar="[BASE] SCENARIO", help="Scenario names or files; BASE defaults to baseline-2025 ('atlas' = the data as they are).")],
    od: Annotated[Optional[Path], typer.Option("--od", help="Lane CSV (id,origin,destination[,cargo,volume_teu_per_year,volume_source_ids,...]); volumes cite ids of a sources.csv beside it; default: the shipped lane set.")] = None,
    access: Annotated[Optional[Path], typer.Option("--access", help="Access-pair CSV; default: the shipped isolation pairs.")] = None,
    objective: Annotated[ObjectiveChoice, typer.Option(help="What routes minimise.")] = ObjectiveChoice.generalized,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format on stdout (--html draws the changed lanes' routes on a map).")] = ReportFormat.table,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML report here.")] = None,
    year: Annotated[Optional[int], typer.Option(help="Network year of the comparison; default: the scenario's own. The base is routed in this year too; what the years alone change is shown apart.")] = None,
    network: NetworkOption = None,
) -> None:
    """Compare a scenario with a base over trade lanes: lanes, countries, access, TCD charts.

    The base is routed in the scenario's network year (or --year), so the lane table shows the
    scenario's own effect; when the base's year differs (baseline-2025 against a 2029 scenario),
    the lanes the network year alone changes (baseline-2025 -> baseline-2029) are listed first."""
    from rich.table import Table

    from corridors.analysis import load_access_pairs, load_lanes
    from corridors.analysis.cases import DEFAULT_BASE
    from corridors.io._atomic import write_atomic
    from corridors.routing import RouteOptions
    from corridors.session import Session

    if len(cases) > 2:
        _fail(f"give one or two scenarios ([BASE] SCENARIO), got {len(cases)}")
    base_name, scenario_name = ([DEFAULT_BASE, *cases] if len(cases) == 1 else cases)
    try:
        with Session(network) as session:
            result = session.compare(base_name, scenario_name, load_lanes(od), load_access_pairs(access),
                                     RouteOptions(objective=objective.value), year=year)
    except CorridorsError as exc:
        _fail(str(exc))
        return
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(result.effect_summary, highlight=False)
        year_effect = result.year_effect
        if year_effect is not None and any(c.changed for c in year_effect.lanes):
            out.print(_lane_table(f"Network-year effect, not the scenario's: {year_effect.base.name} -> "
                                  f"{year_effect.scenario.name}: changed lanes (per shipment)",
                                  [c for c in year_effect.lanes if c.changed]))
        out.print(_lane_table(f"Scenario effect in {result.scenario.year}: {result.scenario.name} vs {result.base.name}: "
                              "lanes (per shipment)", result.lanes))
        countries = Table("country", "transit t-km before", "after", "transit USD before", "after", "Δ USD", "lanes",
                          title="Countries: transit per unit shipped on every lane", title_justify="left")
        for x in result.countries:
            if x.transit_revenue_usd_per_unit == (0.0, 0.0):
                continue
            countries.add_row(x.country, f"{x.transit_tkm_per_unit[0]:,.0f}", f"{x.transit_tkm_per_unit[1]:,.0f}",
                              f"{x.transit_revenue_usd_per_unit[0]:,.0f}", f"{x.transit_revenue_usd_per_unit[1]:,.0f}",
                              f"{x.revenue_change_usd_per_unit:+,.0f}", f"{x.lanes_in_transit[0]} -> {x.lanes_in_transit[1]}")
        out.print(countries)
        if result.access:
            table = Table("access", "status", "after", title="Access and isolation", title_justify="left")
            for a in result.access:
                table.add_row(a.pair.name, a.status, a.after.route.via_summary() if a.after.route else "no route")
            out.print(table)
    if html:
        from corridors.analysis.report import comparison_to_html

        write_atomic(html, comparison_to_html(result))
        err.print(f"wrote {html}")


@app.command()
def critical(
    scenario: Annotated[Optional[str], typer.Option("--scenario", help="Rank under this scenario instead of the data as they are.")] = None,
    od: Annotated[Optional[Path], typer.Option("--od", help="Lane CSV; default: the shipped lane set.")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many elements to list.")] = 15,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format on stdout.")] = ReportFormat.table,
    network: NetworkOption = None,
) -> None:
    """Rank links and border crossings by the damage their closure does to the lane set."""
    from rich.progress import Progress
    from rich.table import Table

    from corridors.analysis import criticality, load_lanes
    from corridors.analysis.cases import NO_SCENARIO
    from corridors.session import Session

    try:
        with Session(network) as session:
            case = session.case(scenario or NO_SCENARIO)
        lanes = load_lanes(od)
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("closing elements one by one", total=None)
            ranked = criticality(case, lanes, progress=lambda done, total: progress.update(task, completed=done, total=total))
    except CorridorsError as exc:
        _fail(str(exc))
        return
    ranked = ranked[:top]
    if fmt is ReportFormat.json:
        from dataclasses import asdict

        sys.stdout.write(json.dumps([asdict(c) for c in ranked], indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("#", "element", "kind", "lanes using", "lanes cut", "extra USD", "extra h",
                  title=f"Critical elements ({case.name}): closing each, one shipment per lane", title_justify="left")
    for i, c in enumerate(ranked, 1):
        table.add_row(str(i), c.name, c.kind, str(len(c.lanes_using)), ", ".join(c.lanes_cut) or "-",
                      f"{c.extra_cost_usd:+,.0f}", f"{c.extra_time_h:+,.0f}")
    out.print(table)


@app.command()
def sweep(
    scenarios: Annotated[Optional[list[str]], typer.Argument(help="Scenario names or files; default: 'atlas' and every built-in.")] = None,
    db: Annotated[Path, typer.Option("--db", help="SQLite file to store results in (resumes if it exists).")] = Path("out/sweep.sqlite"),
    od: Annotated[Optional[Path], typer.Option("--od", help="Lane CSV; default: the shipped lane set.")] = None,
    objective: Annotated[ObjectiveChoice, typer.Option(help="What routes minimise.")] = ObjectiveChoice.generalized,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Run on Dask: 'local' for a local cluster or a scheduler address.")] = None,
    network: NetworkOption = None,
) -> None:
    """Route the lane set under many scenarios into a SQLite database, resumably."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from corridors.analysis import load_lanes
    from corridors.analysis.sweep import BASE
    from corridors.analysis.sweep import sweep as run_sweep
    from corridors.scenarios import builtin_scenarios

    names = scenarios or [BASE, *(s.name for s in builtin_scenarios())]
    try:
        lanes = load_lanes(od)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task("scenarios", total=len(names))
            summary = run_sweep(
                names, lanes, db, objective=objective.value, network_path=str(network) if network else None,
                dask=(True if dask == "local" else dask) if dask else False,
                progress=lambda done, total, name: bar.update(task, completed=done, total=total, description=name),
            )
    except CorridorsError as exc:
        _fail(str(exc))
        return
    out.print(f"{len(summary.computed)} scenario(s) computed, {len(summary.skipped)} already in {db} "
              f"({summary.rows} rows written); query it with sqlite3 {db} 'SELECT * FROM results'")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; 0.0.0.0 opens the app to other machines, with --allowed-host NAME "
                                      "(the name they reach it by).", envvar="CORRIDORS_HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", envvar="CORRIDORS_PORT", min=1, max=65535)] = 8000,
    db: Annotated[Optional[Path], typer.Option("--db", help="SQLite file for user scenarios and saved comparisons.", envvar="CORRIDORS_DB")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the network; the database is shared).", min=1, max=32)] = 1,
    world: Annotated[bool, typer.Option("--world", help="Also serve world routes (loads the world layers in the background).", envvar="CORRIDORS_WORLD")] = False,
    network: NetworkOption = None,
    allowed_host: Annotated[Optional[list[str]], typer.Option("--allowed-host", help="A host name clients may use besides 127.0.0.1, localhost, [::1] and --host (repeatable; '*' allows any). Requests naming another host get 400 (against DNS rebinding).")] = None,
) -> None:
    """Start the REST API and the web app (offline) at http://HOST:PORT/."""
    try:
        import uvicorn

        from corridors.api import Settings, create_app
        from corridors.api.settings import allowed_hosts
    except ImportError:
        _fail("the web app needs the 'web' extra: pip install 'corridors[web]' (make demo installs it)")
        return
    settings = Settings(**{k: v for k, v in {"db_path": db, "network_path": network}.items() if v is not None}, world=world,
                        allowed_hosts=allowed_hosts(host, *(allowed_host or ())))
    try:
        application = create_app(settings)
    except CorridorsError as exc:
        _fail(str(exc))
        return
    out.print(f"corridors web app: [bold]http://{host}:{port}/[/]  (API: http://{host}:{port}/api/health, "
              f"OpenAPI: http://{host}:{port}/openapi.json); Ctrl+C stops")
    if workers == 1:
        uvicorn.run(application, host=host, port=port, log_level="warning")
        return
    import os

    # each worker process builds its own app from the same settings, passed by environment
    os.environ["CORRIDORS_DB"] = str(settings.db_path)
    os.environ["CORRIDORS_WORLD"] = "1" if world else ""
    os.environ["CORRIDORS_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
    if settings.network_path:
        os.environ["CORRIDORS_NETWORK"] = str(settings.network_path)
    uvicorn.run("corridors.api:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning")


class ValidateFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


@app.command()
def validate(
    fmt: Annotated[ValidateFormat, typer.Option("--format", help="table (text), json, or a self-contained html page.")] = ValidateFormat.table,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the report here instead of to stdout.")] = None,
    category: Annotated[Optional[list[str]], typer.Option("--category", help="Only these categories: length, time, dwell, cost (repeatable, comma-separated).")] = None,
    worst: Annotated[int, typer.Option(help="How many of the worst misses to list.", min=0, max=1000)] = 10,
    figures: Annotated[Optional[Path], typer.Option("--figures", help="A folder of figures-*.csv and sources-*.csv instead of the packaged table.")] = None,
    network: NetworkOption = None,
) -> None:
    """Compare the model with published lengths, times, border dwell and costs: hit rate per
    category, the worst misses with their sources, circular figures (the atlas cites their source) apart."""
    from corridors.io._atomic import write_atomic
    from corridors.session import Session
    from corridors.validation import CATEGORIES, load_figures, read_figures, run_validation
    from corridors.validation.html import to_html
    from corridors.validation.report import to_json, to_text

    chosen = _split(category)
    if unknown := [c for c in chosen if c not in CATEGORIES]:
        _fail(f"unknown category {', '.join(unknown)}; choose from {', '.join(CATEGORIES)}")
    try:
        with Session(network) as session:
            table = read_figures(figures, session.network) if figures else load_figures(session.network)
            report = run_validation(table.select(frozenset(chosen) or None), session)
    except CorridorsError as exc:
        _fail(str(exc))
        return
    text = {ValidateFormat.table: to_text, ValidateFormat.json: to_json, ValidateFormat.html: to_html}[fmt](report, worst=worst)
    if out_file:
        write_atomic(out_file, text)
        err.print(f"wrote {out_file}")
    else:
        sys.stdout.write(text)


@data_app.command("check")
def data_check(
    path: Annotated[Optional[Path], typer.Argument(help="Network folder; the built-in atlas if omitted.")] = None,
    warnings: Annotated[bool, typer.Option("--warnings/--no-warnings", help="List warnings too.")] = True,
) -> None:
    """Validate a network folder: schema, references, geography, lengths, sources, connectivity."""
    from rich.table import Table

    from corridors.model.checks import check_network

    try:
        net = _network(path)
    except DataError as exc:
        for problem in exc.problems:
            err.print(f"[red]error[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
        _fail(f"{len(exc.problems)} error(s); the network was not loaded", code=1)
        return
    cited = frozenset()
    if path is None:  # the packaged atlas: its sources also serve the world layers' rules and the built-in scenarios
        from corridors.scenarios import builtin_scenarios
        from corridors.world.multimodal import rule_source_ids

        cited = rule_source_ids() | {sid for scenario in builtin_scenarios() for sid in scenario.spec.sources}
    report = check_network(net, cited_elsewhere=cited)
    for problem in report.problems:
        if problem.severity == "error" or warnings:
            colour = "red" if problem.severity == "error" else "yellow"
            err.print(f"[{colour}]{problem.severity}[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
    table = Table("mode", "nodes", "operational links", "components", "largest", title="Connectivity (operational links)")
    for c in report.connectivity:
        table.add_row(c.mode, str(c.nodes), str(c.links), str(c.components), str(c.largest))
    out.print(", ".join(f"{v} {k}" for k, v in report.counts.items()))
    out.print(table)
    out.print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    if not report.ok:
        raise typer.Exit(1)


@data_app.command("map")
def data_map(
    out_file: Annotated[Path, typer.Option("--out", help="PNG or SVG file to write.")] = Path("atlas.png"),
    bbox: Annotated[Optional[str], typer.Option(help="Area to draw: min_lon,min_lat,max_lon,max_lat (default: all).")] = None,
    network: NetworkOption = None,
) -> None:
    """Draw the network: links by mode and status over country outlines (offline)."""
    area = None
    if bbox:
        try:
            area = tuple(float(v) for v in bbox.split(","))
            if len(area) != 4 or not (-180 <= area[0] < area[2] <= 180 and -90 <= area[1] < area[3] <= 90):
                raise ValueError  # NaN fails every comparison; infinities are out of range
        except ValueError:
            _fail(f"--bbox must be min_lon,min_lat,max_lon,max_lat in degrees, longitudes from -180 to 180 and "
                  f"latitudes from -90 to 90, with min < max; got {bbox[:100]!r}")
    from corridors.io._atomic import write_atomic
    from corridors.io._draw import draw_map, figure_bytes

    suffix = out_file.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        _fail(f"--out must end in .png or .svg, got {out_file.name!r}")
    try:
        net = _network(network)
    except CorridorsError as exc:
        _fail(str(exc))
        return
    title = f"{net.name} {net.version}: {len(net.links)} links, status as of {net.as_of_year}"
    write_atomic(out_file, figure_bytes(draw_map(net, title=title, width_in=13, bbox=area), suffix))
    err.print(f"wrote {out_file}")


def main() -> None:
    """Console entry point."""
    app()
