"""Avoided countries on links that pass through a country they do not end in (``via_countries``):
a railway from Azerbaijan to Nakhchivan through Iran, a sea lane through Egypt's Suez Canal.
Such a link touches the country although neither of its ends lies there, so a route avoiding the
country must not use it, in the atlas router and in the world router alike.

The world cases run on a small world graph (the tiny atlas with such links added, over one road
and one sea layer, as in test_world_router); the real atlas and world are checked too, the world
one marked slow as the other real-layer tests are."""

from __future__ import annotations

import dataclasses

import pytest

from corridors import RouteOptions, load_atlas, route
from corridors.geo import haversine_km
from corridors.model import LengthSource, Link, Mode, Network, Node, NodeKind, Status
from corridors.world.multimodal import build_world_graph
from corridors.world.router import WorldOptions, WorldRouter
from tests.world.test_world_router import _layers_and_ports

ROAD_KMH = 60.0  # tests/fixtures/tiny/parameters.yaml, road


def _touched(r) -> set[str]:
    """Every country a route's legs and border crossings name."""
    return ({c for leg in r.legs for c in leg.countries}
            | {c for b in r.border_crossings for c in (b.from_country, b.to_country)})


def _with_links(tiny: Network, *links: Link, nodes: tuple[Node, ...] = ()) -> Network:
    return dataclasses.replace(tiny, nodes=tiny.nodes + nodes, links=tiny.links + links)


def _road(a: str, b: str, km: float, via: tuple[str, ...] = ()) -> Link:
    return Link(id=f"{a}--{b}--road{'-via-' + '-'.join(via) if via else ''}", from_node=a, to_node=b, mode=Mode.ROAD,
                distance_km=km, status=Status.OPERATIONAL, length_source=LengthSource.ESTIMATE, via_countries=via)


@pytest.fixture(scope="module", params=[("IR",), ("TM",)], ids=["through IR", "through TM, no node's country"])
def through(request, tiny):
    """The tiny atlas with two AZ-AZ roads from Q to Astara (a1): 100 km through ``via``, and
    900 km staying in AZ. Without them every way to a1 runs through IR (T and Astara, IR), so
    routes avoiding ``via`` and IR must take the 900 km road. Returns the countries to avoid."""
    via = request.param
    atlas = _with_links(tiny, _road("q", "a1", 100.0, via), _road("q", "a1", 900.0))
    return frozenset({*via, "IR"}), atlas, build_world_graph(atlas, *_layers_and_ports())


def test_the_atlas_router_keeps_off_a_link_through_an_avoided_country(through):
    avoid, atlas, _ = through
    assert route(atlas, "p", "a1", RouteOptions(objective="distance")).distance_km == pytest.approx(130 + 100)
    r = route(atlas, "p", "a1", RouteOptions(objective="distance", avoid_countries=avoid))
    assert r.link_ids == ("p--q--road", "q--a1--road")
    assert r.distance_km == pytest.approx(130 + 900) and not avoid & _touched(r)


@pytest.mark.parametrize("origin, destination", [("p", "a1"), ("a1", "p")])
def test_the_world_router_keeps_off_a_link_through_an_avoided_country(through, origin, destination, tmp_path):
    """Both ends of the 100 km road are in AZ, so a rule that looks only at an arc's ends lets
    it through; the world route must take the 900 km road: P-Q 130 km + 900 km at 60 km/h."""
    avoid, _, world = through
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    free = router.route(origin, destination, WorldOptions(objective="time", closed_chokepoints=frozenset()))
    assert avoid & _touched(free)  # the shortcut, through the country, is what the router takes when allowed
    r = router.route(origin, destination, WorldOptions(objective="time", avoid_countries=avoid,
                                                       closed_chokepoints=frozenset()))
    assert not avoid & _touched(r), [leg.countries for leg in r.legs]
    assert {link for leg in r.legs for link in leg.link_ids} == {"p--q--road", "q--a1--road"}
    assert r.time_h == pytest.approx((130 + 900) / ROAD_KMH, rel=1e-5)


@pytest.fixture(scope="module")
def suez(tiny):
    """The tiny atlas with a seaport K in TR at the sea layer's eastern end (8 E) and a 500 km
    atlas sea link from P to K through EG (as the atlas's Suez baselines are), much shorter than
    the sea layer's lanes P-S0-S1-S2-K (about 980 km)."""
    port = Node(id="k", name="Port K", lon=8.0, lat=-0.3, country="TR", kind=NodeKind.SEAPORT,
                handles=frozenset({Mode.SEA}))
    lane = Link(id="p--k--sea", from_node="p", to_node="k", mode=Mode.SEA, distance_km=500.0, status=Status.OPERATIONAL,
                length_source=LengthSource.ESTIMATE, via_countries=("EG",), corridors=("suez",))
    atlas = _with_links(tiny, lane, nodes=(port,))
    return build_world_graph(atlas, *_layers_and_ports())


def test_the_world_router_keeps_off_an_atlas_sea_link_through_egypt(suez, tmp_path):
    router = WorldRouter(suez, engine="scipy", cache_dir=tmp_path)
    sea = frozenset({Mode.SEA})
    free = router.route("p", "k", WorldOptions(objective="distance", modes=sea, closed_chokepoints=frozenset()))
    assert [leg.link_ids for leg in free.legs] == [("p--k--sea",)] and "EG" in _touched(free)
    r = router.route("p", "k", WorldOptions(objective="distance", modes=sea, avoid_countries=frozenset({"EG"}),
                                            closed_chokepoints=frozenset()))
    assert "EG" not in _touched(r) and "p--k--sea" not in {link for leg in r.legs for link in leg.link_ids}
    lanes = suez.layers["sea"]
    lanes_km = 1.1 * sum(float(haversine_km(lanes.lon[a], lanes.lat[a], lanes.lon[b], lanes.lat[b])) for a, b in ((0, 1), (1, 2)))
    assert r.distance_km > lanes_km  # the lanes S0-S1-S2 (1.1 x great circle) and the way on and off them


# --- the real atlas (fast) and the real world (slow) ---------------------------------------------

SUEZ_BASELINES = ("nhava-sheva--rotterdam--sea", "nhava-sheva--st-petersburg--sea")


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_the_atlas_suez_baselines_pass_through_egypt(atlas):
    for link_id in SUEZ_BASELINES:
        link = atlas.link_by_id[link_id]
        assert "EG" in link.via_countries and "suez" in link.corridors
        assert "EG" not in {atlas.node_by_id[link.from_node].country, atlas.node_by_id[link.to_node].country}


@pytest.mark.parametrize("destination, baseline", [("Rotterdam", SUEZ_BASELINES[0]), ("St Petersburg", SUEZ_BASELINES[1])])
def test_an_atlas_route_avoiding_egypt_leaves_the_suez_baseline(atlas, destination, baseline):
    free = route(atlas, "Mumbai", destination)
    assert baseline in free.link_ids and "EG" in _touched(free)  # by Suez when Egypt is allowed
    r = route(atlas, "Mumbai", destination, RouteOptions(avoid_countries=frozenset({"EG"})))
    assert "EG" not in _touched(r) and not set(SUEZ_BASELINES) & set(r.link_ids)
    for link in map(atlas.link_by_id.get, r.link_ids):  # each link's countries, from the data
        assert "EG" not in {atlas.node_by_id[link.from_node].country, *link.via_countries, atlas.node_by_id[link.to_node].country}


def test_an_atlas_route_baku_ordubad_avoiding_iran_and_armenia_goes_round_by_turkey(atlas):
    rail = frozenset({Mode.RAIL})
    direct = route(atlas, "Baku", "Ordubad", RouteOptions(modes=rail, year=2030))
    assert "aghband--ordubad--rail" in direct.link_ids  # through Iran when it is allowed
    r = route(atlas, "Baku", "Ordubad", RouteOptions(modes=rail, year=2030, avoid_countries=frozenset({"IR", "AM"})))
    assert not {"IR", "AM"} & _touched(r) and "aghband--ordubad--rail" not in r.link_ids


@pytest.fixture(scope="module")
def world_router():
    from corridors.world import load_world

    return load_world()


@pytest.mark.slow
def test_world_baku_ordubad_by_rail_avoiding_iran_and_armenia(world_router):
    """The reported bug: with IR and AM avoided the world route took aghband--ordubad--rail,
    whose own countries are AZ, IR. A route must touch neither country, or there is none."""
    options = WorldOptions(modes=frozenset({Mode.RAIL}), year=2030, avoid_countries=frozenset({"IR", "AM"}))
    r = world_router.route("Baku", "Ordubad", options)  # round through Georgia and Turkey (Kars-Dilucu, 2030)
    assert not {"IR", "AM"} & _touched(r), [leg.countries for leg in r.legs]
    assert {"GE", "TR"} <= _touched(r)
    assert "aghband--ordubad--rail" not in {link for leg in r.legs for link in leg.link_ids}


@pytest.mark.slow
@pytest.mark.parametrize("destination", ["Rotterdam", "St Petersburg"])
def test_world_mumbai_to_europe_avoiding_egypt(world_router, destination):
    r = world_router.route("Mumbai", destination, WorldOptions(avoid_countries=frozenset({"EG"})))
    assert "EG" not in _touched(r), [leg.countries for leg in r.legs]
    assert not set(SUEZ_BASELINES) & {link for leg in r.legs for link in leg.link_ids}


def test_a_world_route_may_not_start_in_an_avoided_country(through, tmp_path):
    from corridors.errors import InvalidOptionError

    _, _, world = through
    router = WorldRouter(world, engine="scipy", cache_dir=tmp_path)
    with pytest.raises(InvalidOptionError, match="the origin Port P, AZ lies in AZ"):
        router.route("p", "a1", WorldOptions(avoid_countries=frozenset({"AZ"})))
