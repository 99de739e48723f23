"""Reading network folders: good data loads; bad data is reported all at once, precisely."""

from __future__ import annotations

import gc
import json
import shutil
import weakref
from pathlib import Path

import pytest

from corridors import DataError, compile_graph, read_network
from corridors.costs import edge_costs
from corridors.model import Mode, Status


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_tiny_loads_with_types(tiny):
    assert len(tiny.nodes) == 8 and len(tiny.links) == 11
    link = tiny.link_by_id["q--t--road"]
    assert (link.mode, link.status, link.opens_year, link.border) == (Mode.ROAD, Status.PLANNED, 2030, "q--t")
    assert tiny.node_by_id["p"].handles == {Mode.RAIL, Mode.SEA, Mode.ROAD}
    assert tiny.node_by_id["p"].aliases == ("Pee",)
    assert tiny.parameters.transfer(Mode.ROAD, Mode.RAIL).cost_usd_per_teu == 100


def test_all_problems_reported_at_once(tiny_path, tmp_path):
    folder = _copy(tiny_path, tmp_path / "net")
    nodes = (folder / "nodes.csv").read_text()
    nodes = nodes.replace("q,Junction Q,,1.0,0.0,AZ", "q,Junction Q,,1.0,95.0,Azerbaijan")
    nodes += "p,Port P again,,0.0,0.0,AZ,seaport,,,,,test-data,\n"
    (folder / "nodes.csv").write_text(nodes)
    borders = (folder / "borders.csv").read_text().replace("u--t,U-T road,AM,IR,road,operational,,6", "u--t,U-T road,AM,IR,road,open,,6")
    (folder / "borders.csv").write_text(borders)
    links = (folder / "links.csv").read_text().replace("p--t--road,p,t,road,,400,published,,,,,,operational,,p--t", "p--t--road,p,t,road,,400,published,,,,,,operational,,")
    (folder / "links.csv").write_text(links.replace("test-data,planned bridge", "nope,planned bridge"))
    with pytest.raises(DataError) as info:
        read_network(folder)
    messages = [str(p) for p in info.value.problems]
    expected = [
        "net/nodes.csv:3 [lat]: Input should be less than or equal to 90 (found '95.0')",
        "net/nodes.csv:3 [country]: 'Azerbaijan' is not an ISO 3166-1 alpha-2 code such as 'AZ' (found 'Azerbaijan')",
        "net/nodes.csv:10 [id]: duplicate id 'p' (first at net/nodes.csv:2)",
        "net/borders.csv:5 [status]: Input should be 'operational', 'under_construction', 'planned', 'closed' or 'disputed' (found 'open')",
        "net/links.csv:6 [border]: the road link joins AZ and IR: name its border crossing",
        "net/links.csv:10 [source_ids]: unknown source 'nope'; add it to a sources.csv",
    ]
    for message in expected:
        assert message in messages, messages
    assert not any("unknown node 'q'" in m or "no road row for border 'u--t'" in m for m in messages)


def test_missing_files_and_unknown_columns(tiny_path, tmp_path):
    folder = _copy(tiny_path, tmp_path / "net")
    (folder / "parameters.yaml").unlink()
    text = (folder / "sources.csv").read_text().replace("id,kind,title", "id,kind,titel", 1)
    (folder / "sources.csv").write_text(text)
    with pytest.raises(DataError) as info:
        read_network(folder)
    text = str(info.value)
    assert "parameters.yaml: file is missing" in text
    assert "net/sources.csv:1 [titel]: unknown column" in text


def test_compiled_graph_is_cached_and_freed_with_its_network(tiny_path):
    net = read_network(tiny_path)
    graph = compile_graph(net)
    assert compile_graph(net) is graph
    ref = weakref.ref(net)
    del net, graph
    gc.collect()
    assert ref() is None


def test_compiled_arrays_are_read_only(tiny):
    graph = compile_graph(tiny)
    with pytest.raises(ValueError):
        graph.distance_km[0] = 1.0
    with pytest.raises(ValueError):
        edge_costs(graph).run_time_h[0] = 1.0


def test_geometry_for_an_unknown_link_names_the_region_file_it_is_in(tiny_path, tmp_path):
    """A region's links.geojson with a stray id is reported against that file, not the root's."""
    folder = tmp_path / "net"
    folder.mkdir()
    for name in ("atlas.yaml", "parameters.yaml", "sources.csv"):
        shutil.copy(tiny_path / name, folder / name)
    region = _copy(tiny_path, folder / "west")
    for name in ("atlas.yaml", "parameters.yaml", "sources.csv"):
        (region / name).unlink()
    stray = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"link_id": "no-such-link"},
                                                        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}
    (region / "links.geojson").write_text(json.dumps(stray))
    with pytest.raises(DataError) as info:
        read_network(folder)
    assert "west/links.geojson" in str(info.value) and "no-such-link" in str(info.value)


def test_a_navigation_season_reads_as_its_months_and_compiles_to_a_month_mask(tiny_with_season):
    net = read_network(tiny_with_season("s--t--rail", "11-2"))
    assert net.link_by_id["s--t--rail"].open_months == (1, 2, 11, 12)  # over the new year
    assert net.link_by_id["p--q--rail"].open_months == ()  # all year
    graph = compile_graph(net)
    on_link = graph.link == net.links.index(net.link_by_id["s--t--rail"])
    assert set(graph.open_months[on_link].tolist()) == {0b1100_0000_0011}
    assert set(graph.open_months[~on_link].tolist()) == {0xFFF}


def test_a_bad_season_names_the_row_and_what_is_accepted(tiny_with_season):
    with pytest.raises(DataError) as info:
        read_network(tiny_with_season("s--t--rail", "4-13"))
    assert "links.csv:5 [open_months]" in str(info.value) and "'first-last' with months 1 to 12" in str(info.value)
