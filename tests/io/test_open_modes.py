"""parameters.yaml needs defaults only for the modes a network's links use."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridors import DataError, RouteOptions, read_network, route
from corridors.model import Mode


def _without(tiny_path: Path, folder: Path, *prefixes: str) -> Path:
    """A copy of the tiny network whose parameters.yaml drops the lines starting with ``prefixes``."""
    shutil.copytree(tiny_path, folder)
    params = folder / "parameters.yaml"
    lines = params.read_text().splitlines(keepends=True)
    params.write_text("".join(line for line in lines if not line.startswith(prefixes)))
    return folder


def test_modes_no_link_uses_may_be_left_out(tiny_path, tmp_path):
    # the tiny network's links are rail and road only
    net = read_network(_without(tiny_path, tmp_path / "net", "  iww:", "  ferry:"))
    assert set(net.parameters.modes) == {Mode.ROAD, Mode.RAIL, Mode.SEA}
    # the same fastest route as the full fixture (test_router_tiny): rail P-Q-R-S-T
    assert route(net, "p", "t", RouteOptions(objective="time")).time_h == pytest.approx(24.05)


def test_a_mode_links_use_without_defaults_names_the_mode_file_and_first_link(tiny_path, tmp_path):
    folder = _without(tiny_path, tmp_path / "net", "  ferry:")
    links = folder / "links.csv"
    links.write_text(links.read_text().replace("p--q--road,p,q,road,", "p--q--road,p,q,ferry,"))
    with pytest.raises(DataError) as info:
        read_network(folder)
    assert [str(p) for p in info.value.problems] == [
        "parameters.yaml [modes.ferry]: no defaults for mode 'ferry', which links use (first at net/links.csv:9); "
        "give its speed_kmh, cost_usd_per_teu_km, co2e_g_per_tkm and source_ids"
    ]


def test_the_gauge_change_is_needed_only_with_rail_links(tiny_path, tmp_path):
    folder = _without(tiny_path, tmp_path / "rail", "gauge_change:")
    with pytest.raises(DataError) as info:
        read_network(folder)
    assert [str(p) for p in info.value.problems] == [
        "parameters.yaml [gauge_change]: the network has rail links (first at rail/links.csv:2): "
        "give the default gauge change's time_h, cost_usd_per_teu and source_ids"
    ]
    road_only = _without(tiny_path, tmp_path / "road", "gauge_change:", "  rail:", "  - {modes: [rail")
    links = road_only / "links.csv"
    links.write_text("".join(line for line in links.read_text().splitlines(keepends=True) if "rail," not in line))
    borders = road_only / "borders.csv"
    borders.write_text(borders.read_text().replace("r--s,R-S rail,AZ,IR,rail", "r--s,R-S road,AZ,IR,road"))
    net = read_network(road_only)
    assert {link.mode for link in net.links} == {Mode.ROAD}
    assert Mode.RAIL not in net.parameters.modes and not net.parameters.transfers[0].modes & {Mode.RAIL}
