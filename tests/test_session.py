"""The Session: the same routes as the plain functions, scenarios applied once and kept within
bounds, user scenarios never stale, world routers loaded lazily or in the background, and
everything it holds closed with it."""

from __future__ import annotations

import doctest
import threading

import pytest

import corridors.session
from corridors import InvalidOptionError, RouteOptions, Session, alternative_routes, load_atlas, route
from corridors.analysis import Lane, base_case, compare, scenario_case
from corridors.errors import ScenarioError
from corridors.scenarios import apply_scenario, load_scenario, parse_scenario, scenario_options

ROAD_P_T_H = 400 / 60 + 20
"""Tiny network, P to T by road when the R-S rail crossing is closed: 400 km at 60 km/h plus the
P-T crossing's 20 h dwell (as tests/scenarios/test_apply.py computes it)."""

CLOSE_RS = """name: close-rs
description: the R-S rail crossing closes
patches:
  - {action: close, element: border, where: {ids: [r--s]}, note: strike}
"""
RULED = """name: ruled
description: AZ cargo may not transit IR
policies:
  rules:
    - {name: no-ir-transit, when: {origin: [AZ]}, forbid_transit: [IR]}
"""
WORLD_POLICIES = """name: world-options
description: Parameters and policies a world route must take from its scenario.
base: {year: 2030}
parameters: {value_of_time_usd_per_teu_h: 77, carbon_price_usd_per_t: 150}
policies: {avoid_countries: [IR], closed_chokepoints: [hormuz]}
"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def _scenario(text: str):
    return parse_scenario(text, "test.yaml")


def test_doctests():
    assert doctest.testmod(corridors.session).failed == 0


# routes -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("origin", "destination", "objective"),
                         [("Mumbai", "Moscow", "cost"), ("Baku", "Kars", "time"), ("Aktau", "Poti", "generalized")])
def test_routes_on_the_atlas_are_the_plain_functions(atlas, origin, destination, objective):
    options = RouteOptions(objective=objective)
    with Session(atlas) as session:
        [best] = session.route(origin, destination, options)
        three = session.route(origin, destination, options, alternatives=3)
    assert best.to_dict() == route(atlas, origin, destination, options).to_dict()
    assert [r.to_dict() for r in three] == [r.to_dict() for r in alternative_routes(atlas, origin, destination, 3, options)]


def test_a_scenario_route_is_the_scenario_applied_by_hand(atlas):
    options = RouteOptions(objective="time", modes=frozenset({"road"}))
    with Session(atlas) as session:
        [under] = session.route("Tbilisi", "Vladikavkaz", options, scenario="upper-lars-closed")
    applied = apply_scenario(atlas, load_scenario("upper-lars-closed"))
    by_hand = route(applied.network, "Tbilisi", "Vladikavkaz", scenario_options(applied, options))
    assert under.to_dict() == by_hand.to_dict()
    assert under.time_h > route(atlas, "Tbilisi", "Vladikavkaz", options).time_h  # the closure costs time


def test_a_scenario_reroutes_on_the_tiny_network_as_computed_by_hand(tiny):
    with Session(tiny) as session:
        [open_] = session.route("p", "t", RouteOptions(objective="time"))
        [closed] = session.route("p", "t", RouteOptions(objective="time"), scenario=_scenario(CLOSE_RS))
    assert open_.time_h == pytest.approx(24.05)
    assert closed.time_h == pytest.approx(ROAD_P_T_H)


def test_matrix_cells_are_single_routes(tiny):
    options = RouteOptions(objective="time")
    with Session(tiny) as session:
        grid = session.matrix(["p", "t"], ["t", "u"], options)
        under = session.matrix(["p"], ["t"], options, scenario=_scenario(CLOSE_RS))
    assert grid.time_h[0][0] == pytest.approx(24.05) and grid.time_h[1][0] == 0.0
    assert grid.cost_usd[1][1] == pytest.approx(route(tiny, "t", "u", options).cost_usd)
    assert under.time_h[0][0] == pytest.approx(ROAD_P_T_H)


def test_case_and_compare_are_the_analysis_functions(tiny):
    scenario = _scenario(CLOSE_RS)
    lanes = [Lane("pt", "p", "t"), Lane("pu", "p", "u")]
    options = RouteOptions(objective="time")
    with Session(tiny) as session:
        assert session.case("atlas", options) == base_case(tiny, options)
        case = session.case(scenario, options)
        result = session.compare("atlas", scenario, lanes, options=options)
    assert (case.name, case.options) == ("close-rs", scenario_case(tiny, scenario, options).options)
    assert result.to_dict() == compare(base_case(tiny, options), scenario_case(tiny, scenario, options), lanes).to_dict()
    assert result.lanes[0].after.route.time_h == pytest.approx(ROAD_P_T_H)


# scenarios --------------------------------------------------------------------------------------
def test_a_scenario_is_applied_once_even_by_concurrent_callers(tiny, monkeypatch):
    calls = []
    apply = corridors.session.apply_scenario
    monkeypatch.setattr(corridors.session, "apply_scenario", lambda net, sc: calls.append(sc.name) or apply(net, sc))
    session = Session(tiny, scenario_text={"close-rs": CLOSE_RS}.get)
    start = threading.Barrier(6)
    got = []

    def worker():
        start.wait()
        got.append(session.applied("close-rs"))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["close-rs"] and all(a is got[0] for a in got)


def test_a_changed_user_scenario_is_never_served_stale(tiny):
    texts = {"mine": CLOSE_RS.replace("close-rs", "mine")}
    session = Session(tiny, scenario_text=texts.get, scenario_files=False)
    [closed] = session.route("p", "t", RouteOptions(objective="time"), scenario="mine")
    texts["mine"] = texts["mine"].replace("action: close", "action: open")
    [reopened] = session.route("p", "t", RouteOptions(objective="time"), scenario="mine")  # no forget needed: keyed by text
    assert (closed.time_h, reopened.time_h) == (pytest.approx(ROAD_P_T_H), pytest.approx(24.05))
    first = session.applied("mine")
    assert session.applied("mine") is first
    session.forget_user_scenarios()
    assert session.applied("mine") is not first


def test_a_server_session_reads_no_scenario_files(tiny, tmp_path):
    path = tmp_path / "close-rs.yaml"
    path.write_text(CLOSE_RS)
    assert Session(tiny).applied(str(path)).name == "close-rs"
    with pytest.raises(ScenarioError, match="no scenario of that name"):
        Session(tiny, scenario_files=False).applied(str(path))


def test_builtins_survive_forgetting_user_scenarios(atlas):
    session = Session(atlas)
    first = session.applied("red-sea-closed")
    session.forget_user_scenarios()
    assert session.applied("red-sea-closed") is first


def test_applied_scenarios_stay_bounded(tiny):
    session = Session(tiny, max_applied=2)
    texts = [CLOSE_RS.replace("close-rs", name) for name in ("one", "two", "three")]
    first = session.applied(_scenario(texts[0]))
    assert session.applied(_scenario(texts[0])) is first  # an equal scenario is the same entry
    for text in texts[1:]:
        session.applied(_scenario(text))
    assert len(session._applied) == 2
    assert session.applied(_scenario(texts[0])) is not first  # dropped as the least recently used, applied again


# world ------------------------------------------------------------------------------------------
class FakeWorld:
    """Stands in for a world router: remembers what it was built over and the options it routed with."""

    def __init__(self, network, layers_from) -> None:
        self.network, self.layers_from = network, layers_from
        self.options, self.closed = [], False

    def route(self, origin, destination, options):
        self.options.append(options)
        return f"{origin}->{destination}"

    def alternative_routes(self, origin, destination, k, options):
        self.options.append(options)
        return [f"{origin}->{destination} #{i}" for i in range(k)]

    def close(self) -> None:
        self.closed = True


class FakeLoader:
    def __init__(self, gate: threading.Event | None = None, error: Exception | None = None) -> None:
        self.built: list[FakeWorld] = []
        self.gate, self.error = gate, error

    def __call__(self, network, layers_from, progress):
        if self.gate is not None:
            self.gate.wait(5)
        if self.error is not None:
            raise self.error
        self.built.append(FakeWorld(network, layers_from))
        return self.built[-1]


def test_world_routes_take_the_scenarios_options(tiny):
    loader = FakeLoader()
    with Session(tiny, world_loader=loader) as session:
        assert session.world_status() == "off"
        routes = session.route("Shanghai", "Rotterdam", RouteOptions(objective="cost", avoid_countries=frozenset({"RU"})),
                               scenario=_scenario(WORLD_POLICIES), world=True, close=["suez"])
        assert session.world_status() == "off"  # a scenario world was built; the base world was never asked for
    [world] = loader.built
    [options] = world.options
    assert routes == ["Shanghai->Rotterdam"] and world.network is not tiny and world.layers_from is None
    assert (options.value_of_time_usd_per_teu_h, options.carbon_price_usd_per_t, options.year) == (77, 150, 2030)
    assert options.objective == "cost" and options.avoid_countries == {"IR", "RU"}
    assert {"suez", "hormuz"} <= options.closed_chokepoints


def test_world_routes_refuse_what_they_cannot_do_before_loading_anything(tiny):
    loader = FakeLoader()
    session = Session(tiny, world_loader=loader)
    with pytest.raises(InvalidOptionError, match="not via or avoid"):
        session.route("p", "t", RouteOptions(via=("q",)), world=True)
    with pytest.raises(InvalidOptionError, match="scenario 'ruled' has flow rules"):
        session.route("p", "t", scenario=_scenario(RULED), world=True)
    assert loader.built == []


def test_world_routers_are_loaded_once_reused_bounded_and_closed(tiny):
    loader = FakeLoader()
    session = Session(tiny, world_loader=loader, max_scenario_worlds=1)
    assert session.route("p", "t", world=True, alternatives=2) == ["p->t #0", "p->t #1"]
    session.route("p", "t", world=True)
    [base] = loader.built
    assert base.network is tiny and session.world_status() == "ready"
    one, two = _scenario(CLOSE_RS), _scenario(CLOSE_RS.replace("close-rs", "two"))
    for scenario in (one, two, one):  # one is dropped for two, then built again
        session.route("p", "t", scenario=scenario, world=True)
    assert len(loader.built) == 4 and all(w.layers_from is base for w in loader.built[1:])
    session.close()
    assert [w.closed for w in loader.built] == [True, False, False, True]  # dropped routers are not closed: in use elsewhere
    with pytest.raises(RuntimeError, match="closed"):
        session.route("p", "t", world=True)


def test_a_background_world_load_reports_its_status(tiny):
    gate = threading.Event()
    session = Session(tiny, world_loader=FakeLoader(gate))
    session.start_world()
    assert session.world_status() == "loading" and session.wait_for_world(0.01) == "loading"
    with pytest.raises(TimeoutError):
        session.world_router(timeout_s=0.01)
    gate.set()
    assert session.wait_for_world(5) == "ready" and session.route("p", "t", world=True) == ["p->t"]


def test_a_failed_world_load_is_reported_to_every_request(tiny):
    session = Session(tiny, world_loader=FakeLoader(error=OSError("no layers here")))
    session.start_world()
    assert session.wait_for_world(5) == "failed" and session.world_error == "OSError: no layers here"
    with pytest.raises(RuntimeError, match="failed to load: OSError: no layers here"):
        session.route("p", "t", world=True)


def test_closing_abandons_a_world_load_which_closes_what_it_built(tiny):
    gate = threading.Event()
    loader = FakeLoader(gate)
    session = Session(tiny, world_loader=loader)
    session.start_world()
    session.close()  # returns at once: the load is abandoned, not waited for
    gate.set()
    session._world_thread.join(5)
    [world] = loader.built
    assert world.closed and session.closed


def test_a_session_is_a_context_manager_that_closes(tiny):
    with Session(tiny) as session:
        assert not session.closed
    assert session.closed
    session.close()  # twice is fine
    with pytest.raises(RuntimeError, match="closed"):
        session.route("p", "t")
    with pytest.raises(RuntimeError, match="closed"):
        with session:
            pass


def test_a_network_folder_is_read(tiny_path, tiny):
    with Session(tiny_path) as session:
        assert len(session.network.links) == len(tiny.links)
        assert session.route("p", "t", RouteOptions(objective="time"))[0].time_h == pytest.approx(24.05)


def test_closing_chokepoints_without_the_world_is_refused(tiny):
    from corridors.errors import InvalidOptionError

    with Session(tiny) as session, pytest.raises(InvalidOptionError, match="needs world routes"):
        session.route("Port P", "Town T", close=["suez"])
