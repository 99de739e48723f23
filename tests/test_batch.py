"""route_many and compare_many against single route() calls and compare(): the same routes, the
same errors, one row per pair, and a bad pair never stops the others."""

import dataclasses

import pytest

pd = pytest.importorskip("pandas")

from corridors import (  # noqa: E402
    InvalidOptionError,
    NoRouteError,
    RouteOptions,
    Session,
    compare_many,
    route,
    route_many,
)
from corridors.analysis import Lane  # noqa: E402
from corridors.batch import RESULT_COLUMNS, route_pairs  # noqa: E402
from corridors.errors import CorridorsError  # noqa: E402

ATLAS_PAIRS = [
    ("Mumbai", "Moscow"), ("Mumbai", "St Petersburg"), ("Mumbai", "Rotterdam"), ("Baku", "Tbilisi"),
    ("Baku", "Kars"), ("Tbilisi", "Baku"), ("Baku", "Atlantis"), ("Baku", "Baku"), ("Mumbai", "Moscow"),
]


def _single(network, origin, destination, options):
    """What one route() call answers: the route, or the error it raises."""
    try:
        return route(network, origin, destination, options), None
    except CorridorsError as exc:
        return None, exc


def _check_rows(frame, network, options, cargo=None):
    """Every row of ``frame`` against its own route() call: same figures, via, status and reason."""
    for k, row in frame.iterrows():
        row_options = dataclasses.replace(options, cargo=cargo[k]) if cargo else options
        expected, error = _single(network, row["origin"], row["destination"], row_options)
        if expected is None:
            assert row["status"] != "ok"
            assert row["reason"] == str(error)
            assert all(pd.isna(row[f]) for f in ("distance_km", "time_h", "cost_usd", "co2e_kg", "via"))
            continue
        assert (row["status"], row["reason"]) == ("ok", "")
        assert row["via"] == expected.via_summary()
        for f in ("distance_km", "time_h", "cost_usd", "co2e_kg"):
            assert row[f] == pytest.approx(getattr(expected, f), rel=1e-12), (k, f)


@pytest.fixture(scope="module")
def atlas_session():
    with Session() as session:
        yield session


def test_route_many_equals_single_calls_on_the_atlas(atlas_session):
    frame = route_many(ATLAS_PAIRS, session=atlas_session)
    assert list(frame.columns) == ["origin", "destination", *RESULT_COLUMNS]
    assert len(frame) == len(ATLAS_PAIRS)
    _check_rows(frame, atlas_session.network, RouteOptions())
    assert list(frame["status"]) == ["ok"] * 6 + ["unknown_place", "invalid", "ok"]


def test_route_many_builds_the_very_routes_of_single_calls(atlas_session):
    """Not only the totals: every leg, border and transfer, and the objective value."""
    options = RouteOptions(objective="time")
    pairs = [(o, d, "teu") for o, d in ATLAS_PAIRS[:6]]
    for (o, d, _), outcome in zip(pairs, route_pairs(atlas_session.network, pairs, options)):
        single = route(atlas_session.network, o, d, options)
        assert outcome.route.to_dict() == single.to_dict()
        assert outcome.route.objective_value == pytest.approx(single.objective_value)


def test_route_many_keeps_input_columns_and_index_and_routes_each_rows_cargo(atlas_session):
    pairs = pd.DataFrame({"id": ["a", "b", "c"], "origin": ["Baku", "Baku", "Poti"],
                          "destination": ["Kars", "Kars", "Baku"], "cargo": ["teu", "feu", None]},
                         index=[10, 20, 30])
    frame = route_many(pairs, session=atlas_session)
    assert list(frame.index) == [10, 20, 30]
    assert list(frame["id"]) == ["a", "b", "c"]
    _check_rows(frame, atlas_session.network, RouteOptions(), cargo={10: "teu", 20: "feu", 30: "teu"})
    # a 40-foot box pays more than a 20-foot one on the same lane
    assert frame.loc[20, "cost_usd"] > frame.loc[10, "cost_usd"]


def test_route_many_under_a_scenario_with_flow_rules(atlas_session):
    """Flow rules apply per origin-destination country pair: rows of one origin may need
    different trees."""
    case = atlas_session.case("sanctions-iran-transit")
    pairs = [("Baku", "Tehran"), ("Baku", "Tbilisi"), ("Moscow", "Mumbai"), ("Moscow", "Baku")]
    _check_rows(route_many(pairs, session=atlas_session, scenario="sanctions-iran-transit"), case.network, case.options)
    # one rule, two masks: a flow ending in Iran may cross it, one to Baku may not (either order)
    for pairs in ([("Mumbai", "Tehran"), ("Mumbai", "Baku")], [("Mumbai", "Baku"), ("Mumbai", "Tehran")]):
        _check_rows(route_many(pairs, session=atlas_session, scenario="sanctions-iran-transit"), case.network, case.options)


def test_route_many_on_the_tiny_network_fills_reasons_and_answers_the_rest(tiny):
    options = RouteOptions(avoid_countries=frozenset({"IR"}))
    pairs = [("p", "q"), ("p", "u"), ("p", "t"), ("Astara", "p"), ("p", "Nowhere"), ("q", "p"), ("p", "r")]
    frame = route_many(pairs, options, session=Session(tiny))
    _check_rows(frame, tiny, options)
    assert list(frame["status"]) == ["ok", "no_route", "invalid", "ambiguous_place", "unknown_place", "ok", "ok"]
    # p -> u: the Q-U road border is closed and the way round crosses Iran (hand-checked)
    with pytest.raises(NoRouteError):
        route(tiny, "p", "u", options)
    assert frame.loc[0, "distance_km"] == pytest.approx(120)  # p--q rail, 120 km
    assert frame.loc[6, "distance_km"] == pytest.approx(240)  # p--q--r rail


def test_route_many_on_the_tiny_network_with_a_later_year_and_via(tiny):
    """Year 2031 opens the planned Q-T bridge; a via point takes the staged search."""
    session = Session(tiny)
    for options in (RouteOptions(year=2031), RouteOptions(via=("q",))):
        frame = route_many([("p", "t"), ("p", "u"), ("u", "p")], options, session=session)
        _check_rows(frame, tiny, options)
        assert (frame["status"] == "ok").all()


def test_route_many_refuses_a_frame_without_places():
    with pytest.raises(InvalidOptionError, match="origin and destination"):
        route_many(pd.DataFrame({"from": ["Baku"], "to": ["Kars"]}))


def test_compare_many_matches_compare(atlas_session):
    lanes = [Lane("baku-kars", "Baku", "Kars"), Lane("baku-nakhchivan", "Baku", "Nakhchivan", "feu"),
             Lane("x", "Baku", "Atlantis")]
    options = RouteOptions(year=2029)
    frame = compare_many(lanes, "baseline-2025", "zangezur-open", options, session=atlas_session)
    expected = atlas_session.compare("baseline-2025", "zangezur-open", lanes, options=options)
    assert list(frame["lane"]) == [lane.id for lane in lanes]
    for (_, row), change in zip(frame.iterrows(), expected.lanes):
        assert row["status"] == change.status
        assert row["after.reason"] == change.after.reason
        for f in ("time_h", "cost_usd"):
            if change.delta(f) is None:
                assert pd.isna(row[f"change.{f}"])
            else:
                assert row[f"change.{f}"] == pytest.approx(change.delta(f))
                assert row[f"after.{f}"] - row[f"before.{f}"] == pytest.approx(change.delta(f))


def test_compare_many_takes_a_frame_of_lanes(atlas_session):
    lanes = pd.DataFrame({"origin": ["Tbilisi"], "destination": ["Vladikavkaz"], "volume_teu_per_year": [100.0]})
    frame = compare_many(lanes, "atlas", "upper-lars-closed", RouteOptions(modes=frozenset({"road"})),
                         session=atlas_session)
    row = frame.iloc[0]
    assert (row["lane"], row["status"], row["volume_teu_per_year"]) == ("0", "rerouted", 100.0)
    assert (row["before.via"], row["after.via"]) == ("GE>RU", "GE>AZ, AZ>RU")
    assert row["change.time_h"] > 0


class AtlasAsWorld:
    """Stands in for a world router: answers on the atlas it was built over, remembering the options."""

    def __init__(self, network) -> None:
        self.network, self.options = network, []

    def route(self, origin, destination, options):
        self.options.append(options)
        return route(self.network, origin, destination, RouteOptions(cargo=options.cargo))


def test_route_many_on_the_world_routes_pair_by_pair_through_the_session(tiny):
    worlds = []
    loader = lambda network, layers_from, progress: worlds.append(AtlasAsWorld(network)) or worlds[-1]  # noqa: E731
    pairs = pd.DataFrame({"origin": ["p", "p", "q"], "destination": ["t", "Nowhere", "u"], "cargo": ["feu", "teu", ""]})
    frame = route_many(pairs, session=Session(tiny, world_loader=loader), world=True)
    _check_rows(frame, tiny, RouteOptions(), cargo={0: "feu", 1: "teu", 2: "teu"})
    assert list(frame["status"]) == ["ok", "unknown_place", "ok"]
    [world] = worlds  # loaded once, asked once per pair with the row's cargo
    assert [o.cargo for o in world.options] == ["feu", "teu", "teu"]


def test_compare_many_frame_without_cargo_uses_the_options_cargo(tiny):
    """A frame with no cargo column is routed in ``options.cargo``, as route_many routes it."""
    lanes = pd.DataFrame({"origin": ["p"], "destination": ["t"]})
    frame = compare_many(lanes, "atlas", "atlas", RouteOptions(cargo="feu"), session=Session(tiny))
    feu, teu = route(tiny, "p", "t", RouteOptions(cargo="feu")), route(tiny, "p", "t", RouteOptions())
    assert feu.cost_usd != teu.cost_usd  # else the test could not tell the cargo apart
    row = frame.iloc[0]
    assert row["cargo"] == "feu"
    assert row["before.cost_usd"] == pytest.approx(feu.cost_usd)


def test_compare_many_frame_lanes_are_checked_as_read_lanes_checks_them(tiny):
    from corridors import DataError

    lanes = pd.DataFrame({"origin": ["p", "p", "q", "p"], "destination": ["t", "t", "u", "t"],
                          "volume_teu_per_year": [-5.0, float("inf"), 10.0, None]}, index=[7, 8, 9, 10])
    with pytest.raises(DataError, match=r"^2 error\(s\) in the lane data") as exc:
        compare_many(lanes, "atlas", "atlas", session=Session(tiny))
    assert [(p.line, p.column) for p in exc.value.problems] == [(1, "volume_teu_per_year"), (2, "volume_teu_per_year")]
    frame = compare_many(lanes.iloc[2:], "atlas", "atlas", session=Session(tiny))
    assert list(frame["lane"]) == ["9", "10"]  # the index as ids
    assert frame["volume_teu_per_year"].iloc[0] == 10.0 and pd.isna(frame["volume_teu_per_year"].iloc[1])
