"""Networks through GMNS, GeoPackage and our own folder format and back; lanes from DataFrames,
CSV and OMX. Round trips are compared field by field against the network as read from our
folder; what a format cannot hold is listed here and asserted."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

from corridors import DataError, load_atlas, read_network
from corridors.analysis import Lane, read_lanes
from corridors.errors import InvalidOptionError
from corridors.io import read_geopackage, read_gmns, write_geopackage, write_gmns, write_network
from corridors.model import Mode, Network, Status
from corridors.routing.router import route

pytest.importorskip("geopandas")
h5py = pytest.importorskip("h5py")

FORMATS = {
    "folder": (write_network, "net"),
    "gmns": (write_gmns, "gmns"),
    "gpkg": (write_geopackage, "net.gpkg"),
}
CANNOT_HOLD = {
    "folder": set(),
    "gmns": set(),
    # a link's own line that is exactly the straight line between its nodes reads back as no
    # line of its own: Network.link_geometry draws both the same
    "gpkg": {"geometries"},
}
"""Network fields a format cannot hold exactly. No format holds a scenario's history
(``changes``, ``derived_from``) or scale factors: writers refuse scaled networks."""

ELEMENTS = ("nodes", "links", "borders", "sources")


def _round_trip(network: Network, fmt: str, tmp_path: Path) -> Network:
    write, name = FORMATS[fmt]
    return read_network(write(network, tmp_path / name))


def assert_same(original: Network, back: Network, fmt: str) -> None:
    """Every element of every table equal field by field, parameters equal, geometries equal
    unless the format cannot hold them (then drawn the same)."""
    assert (back.name, back.as_of_year, back.version) == (original.name, original.as_of_year, original.version)
    for table in ELEMENTS:
        before = {getattr(e, "id"): e for e in getattr(original, table)}
        if table == "borders":
            before = {(e.id, e.mode): e for e in original.borders}
            after = {(e.id, e.mode): e for e in back.borders}
        else:
            after = {e.id: e for e in getattr(back, table)}
        assert after.keys() == before.keys(), table
        for key, element in before.items():
            for field in dataclasses.fields(element):
                assert getattr(after[key], field.name) == getattr(element, field.name), (table, key, field.name)
    assert back.parameters == original.parameters
    if "geometries" in CANNOT_HOLD[fmt]:
        assert all(back.link_geometry(link) == original.link_geometry(link) for link in original.links)
    else:
        assert dict(back.geometries) == dict(original.geometries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_tiny_round_trip(tiny, fmt, tmp_path):
    assert_same(tiny, _round_trip(tiny, fmt, tmp_path), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_atlas_round_trip_keeps_every_field_and_route(fmt, tmp_path):
    atlas = load_atlas()
    back = _round_trip(atlas, fmt, tmp_path)
    assert_same(atlas, back, fmt)
    for origin, destination in (("Mumbai", "Moscow"), ("Xi'an", "Istanbul"), ("Baku", "Poti")):
        assert route(back, origin, destination).to_dict() == route(atlas, origin, destination).to_dict()


def _with_geometries(tiny: Network) -> Network:
    """tiny with a bent line on p--q--rail and, on q--r--rail, its straight line given explicitly."""
    q, r = tiny.node_by_id["q"], tiny.node_by_id["r"]
    geometries = {"p--q--rail": ((0.0, 0.0), (0.5, 0.25), (1.0, 0.0)),
                  "q--r--rail": ((q.lon, q.lat), (r.lon, r.lat))}
    return dataclasses.replace(tiny, geometries=geometries)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cannot_hold_is_exactly_what_is_lost(tiny, fmt, tmp_path):
    network = _with_geometries(tiny)
    back = _round_trip(network, fmt, tmp_path)
    assert_same(network, back, fmt)
    expected = {"p--q--rail": network.geometries["p--q--rail"]}
    if "geometries" not in CANNOT_HOLD[fmt]:
        expected["q--r--rail"] = network.geometries["q--r--rail"]
    assert dict(back.geometries) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_scaled_networks_are_refused(tiny, fmt, tmp_path):
    links = tuple(dataclasses.replace(k, time_factor=1.5) if k.id == "p--q--rail" else k for k in tiny.links)
    with pytest.raises(InvalidOptionError, match="p--q--rail: time_factor is 1.5"):
        FORMATS[fmt][0](dataclasses.replace(tiny, links=links), tmp_path / FORMATS[fmt][1])


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_gmns_tables_follow_the_spec(tiny, tmp_path):
    folder = write_gmns(_with_geometries(tiny), tmp_path / "g")
    config = _csv(folder / "config.csv")[0]
    assert (config["long_length"], config["speed"], config["crs"]) == ("km", "kph", "EPSG:4326")
    node = {r["node_id"]: r for r in _csv(folder / "node.csv")}["s"]
    assert (node["x_coord"], node["y_coord"], node["node_type"], node["country"]) == ("2.1", "0.0", "border_post", "IR")
    links = {r["link_id"]: r for r in _csv(folder / "link.csv")}
    assert len(links) == len(tiny.links)  # a two-way link is one undirected GMNS link
    pq = links["p--q--rail"]
    assert (pq["from_node_id"], pq["to_node_id"], pq["length"], pq["directed"]) == ("p", "q", "120.0", "false")
    assert (pq["dir_flag"], pq["geometry"]) == ("1", "LINESTRING (0.0 0.0, 0.5 0.25, 1.0 0.0)")
    assert (links["s--t--rail"]["dir_flag"], links["s--t--rail"]["geometry"]) == ("0", "")
    assert {p.name for p in folder.iterdir()} >= {"borders.csv", "sources.csv", "parameters.yaml", "atlas.yaml"}


def _foreign_gmns(tiny_path: Path, folder: Path) -> Path:
    """A GMNS folder as another tool might write it: miles and mph, a reversed shape, a column of
    its own, GMNS fields we do not use; our side files copied beside it."""
    folder.mkdir()
    for side in ("borders.csv", "sources.csv", "parameters.yaml", "atlas.yaml"):
        (folder / side).write_text((tiny_path / side).read_text())
    (folder / "config.csv").write_text("dataset_name,long_length,speed,crs\nforeign,mi,mph,EPSG:4326\n")
    (folder / "node.csv").write_text(
        "node_id,x_coord,y_coord,name,node_type,country,source_ids,ctrl_type,osm_id\n"
        "p,0.0,0.0,Port P,seaport,AZ,test-data,,11\n"
        "q,1.0,0.0,Junction Q,junction,AZ,test-data,signal,12\n")
    (folder / "link.csv").write_text(
        "link_id,from_node_id,to_node_id,directed,length,free_speed,lanes,mode,gauge_mm,status,length_source,"
        "source_ids,dir_flag,geometry\n"
        "p--q--rail,p,q,true,50,25,2,rail,1520,operational,published,test-data,-1,\"LINESTRING (1 0, 0.5 0.5, 0 0)\"\n")
    return folder


def test_foreign_gmns_units_direction_and_extra_fields(tiny_path, tmp_path):
    network = read_network(_foreign_gmns(tiny_path, tmp_path / "foreign"))
    link = network.link_by_id["p--q--rail"]
    assert link.distance_km == pytest.approx(50 * 1.609344)
    assert link.speed_kmh == pytest.approx(25 * 1.609344)
    assert link.oneway and link.gauges_mm == (1520,)
    assert network.geometries["p--q--rail"] == ((0.0, 0.0), (0.5, 0.5), (1.0, 0.0))  # dir_flag -1: reversed
    assert network.name == "tiny test network"  # from the atlas.yaml side file


def _problems(exc: pytest.ExceptionInfo[DataError]) -> set[tuple[str, int | None, str | None]]:
    return {(Path(p.file).name, p.line, p.column) for p in exc.value.problems}


def test_gmns_errors_name_file_line_and_gmns_column(tiny_path, tmp_path):
    folder = _foreign_gmns(tiny_path, tmp_path / "bad")
    nodes = (folder / "node.csv").read_text().replace("q,1.0,0.0", "q,200,0.0")
    nodes = nodes.replace("p,0.0,0.0,Port P,seaport,AZ,test-data", "p,0.0,0.0,Port P,seaport,AZ,")
    (folder / "node.csv").write_text(nodes)
    links = (folder / "link.csv").read_text()
    links += "x--y--road,p,nowhere,false,10,,,road,,open,published,test-data,1,LINESTRING (0 0\n"
    (folder / "link.csv").write_text(links)
    (folder / "config.csv").write_text("long_length,speed,crs\nfurlong,mph,EPSG:3857\n")
    with pytest.raises(DataError) as exc:
        read_gmns(folder)
    assert _problems(exc) >= {
        ("node.csv", 2, "source_ids"),
        ("node.csv", 3, "x_coord"),
        ("link.csv", 3, "status"),
        ("link.csv", 3, "geometry"),
        ("config.csv", 2, "long_length"),
        ("config.csv", 2, "crs"),
    }


def test_gmns_link_to_unknown_node_and_missing_directed(tiny_path, tmp_path):
    folder = _foreign_gmns(tiny_path, tmp_path / "bad")
    text = (folder / "link.csv").read_text().replace("directed,", "").replace("p,q,true,", "p,zz,")
    (folder / "link.csv").write_text(text)
    with pytest.raises(DataError) as exc:
        read_network(folder)
    assert ("link.csv", 1, "directed") in _problems(exc)
    assert any(p.column == "to_node_id" and "unknown node 'zz'" in p.message for p in exc.value.problems)


def test_geopackage_layers_and_errors(tiny, tmp_path):
    import pyogrio

    path = write_geopackage(tiny, tmp_path / "net.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"nodes": "Point", "links": "LineString", "borders": None, "sources": None,
                      "atlas": None, "parameters": None}
    links = pyogrio.read_dataframe(path, layer="links")
    assert links["distance_km"].dtype.kind == "f" and links["oneway"].dtype == bool
    links.loc[links["id"] == "q--r--rail", "mode"] = "plane"
    pyogrio.write_dataframe(links, path, layer="links")
    params = pyogrio.read_dataframe(path, layer="parameters")
    params.loc[params["key"] == "modes.rail.speed_kmh", "value"] = "-4"
    pyogrio.write_dataframe(params, path, layer="parameters")
    with pytest.raises(DataError) as exc:
        read_geopackage(path)
    row = int(links.index[links["id"] == "q--r--rail"][0]) + 1
    assert {(p.file, p.line, p.column) for p in exc.value.problems} >= {
        ("net.gpkg[links]", row, "mode"), ("net.gpkg[parameters]", None, "modes.rail.speed_kmh")}


def test_read_network_refuses_what_it_cannot_read(tmp_path):
    (tmp_path / "x.gpkg").write_text("not a geopackage")
    with pytest.raises(DataError, match="not a GeoPackage"):
        read_network(tmp_path / "x.gpkg")
    with pytest.raises(DataError, match="not a folder holding a network"):
        read_network(tmp_path / "missing")


# --- lanes ------------------------------------------------------------------------------------

def test_lanes_from_a_dataframe(tmp_path):
    import pandas as pd

    (tmp_path / "sources.csv").write_text("id,kind,title\nsrc,assumption,Test volumes\n")
    frame = pd.DataFrame({"id": ["a", "b"], "origin": ["p", "q"], "destination": ["t", "u"],
                          "volume_teu_per_year": pd.array([1200.0, None], dtype="Float64"),  # pandas.NA
                          "volume_source_ids": [["src"], None]})
    lanes = read_lanes(frame, sources=tmp_path / "sources.csv")
    assert lanes == [Lane("a", "p", "t", "teu", 1200.0, ("src",)), Lane("b", "q", "u")]
    with pytest.raises(DataError) as exc:
        read_lanes(frame)  # volumes cite a source, but no sources= given
    assert [(p.file, p.line, p.column) for p in exc.value.problems] == [("DataFrame", 1, "volume_source_ids")]
    with pytest.raises(DataError, match=r"DataFrame:1 \[destination\]: required column is missing"):
        read_lanes(frame.drop(columns="destination"))


def _omx(path: Path, values, zones=(10, 20, 30, 40)) -> Path:
    with h5py.File(path, "w") as f:
        f.attrs["OMX_VERSION"] = b"0.2"
        f.attrs["SHAPE"] = [len(zones), len(zones)]
        f.create_dataset("data/teu", data=values)
        f.create_dataset("data/trips", data=[[0.0] * len(zones)] * len(zones))
        f.create_dataset("lookup/taz", data=list(zones))
    return path


def test_lanes_from_omx(tmp_path):
    (tmp_path / "sources.csv").write_text("id,kind,title\nsurvey,dataset,OD survey\n")
    (tmp_path / "zones.csv").write_text("zone,place\n10,p\n20,t\n30,p\n")
    values = [[5.0, 100.0, 0.0, 0.0],  # 10 -> 10 is within p: left out
              [30.0, 0.0, 7.0, 0.0],
              [1.0, 50.0, 0.0, 0.0],  # 30 -> 20 adds to 10 -> 20 (both p -> t); 30 -> 10 is within p
              [0.0, 0.0, 0.0, 0.0]]   # zone 40 carries nothing: needs no place
    path = _omx(tmp_path / "od.omx", values)
    lanes = read_lanes(path, matrix="teu", lookup="taz", zones=tmp_path / "zones.csv", source_ids=["survey"])
    notes = "OMX od.omx matrix teu"
    assert lanes == [Lane("p--t", "p", "t", "teu", 150.0, ("survey",), notes),
                     Lane("t--p", "t", "p", "teu", 37.0, ("survey",), notes)]
    by_mapping = read_lanes(path, matrix="teu", zones={10: "p", 20: "t", 30.0: "p"}, source_ids=["survey"])
    assert by_mapping == lanes


def test_omx_errors(tmp_path):
    (tmp_path / "sources.csv").write_text("id,kind,title\nsurvey,dataset,OD survey\n")
    path = _omx(tmp_path / "od.omx", [[0.0, -1.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0], [0.0] * 4, [0.0, 3.0, 0.0, 0.0]])
    with pytest.raises(DataError, match="no matrix 'volumes'; the file has: teu, trips"):
        read_lanes(path, matrix="volumes", zones={10: "p"}, source_ids=["survey"])
    with pytest.raises(DataError) as exc:
        read_lanes(path, matrix="teu", zones={10: "p", 20: "t"}, source_ids=["nope"])
    messages = [str(p) for p in exc.value.problems]
    assert any(m.endswith("od.omx[teu] [10->20]: -1.0 is not a non-negative number of TEU a year") for m in messages)
    assert any("zone(s) 40 carry volumes" in m for m in messages)
    assert any("unknown source id(s) 'nope'" in m for m in messages)
    with pytest.raises(DataError, match="need source_ids"):
        read_lanes(path, matrix="teu", zones={10: "p", 20: "t", 40: "u"}, source_ids=[])
    with pytest.raises(InvalidOptionError, match="needs zones="):
        read_lanes(path, matrix="teu", source_ids=["survey"])
    with pytest.raises(InvalidOptionError, match="OMX files"):
        read_lanes(tmp_path / "sources.csv", matrix="teu")
    (tmp_path / "bad.omx").write_text("not hdf5")
    with pytest.raises(DataError, match="not an OMX"):
        read_lanes(tmp_path / "bad.omx", zones={}, source_ids=["survey"])


def test_gmns_modes_and_status_are_ours(tiny, tmp_path):
    """A GMNS round trip keeps the enums as enums (not their text)."""
    back = read_gmns(write_gmns(tiny, tmp_path / "g"))
    assert back.link_by_id["q--t--road"].mode is Mode.ROAD
    assert back.link_by_id["q--t--road"].status is Status.PLANNED


# --- bad coordinates, CRSs and unreadable files ----------------------------------------------

@pytest.mark.parametrize("shape", ["LINESTRING (nan nan, 1 0)", "LINESTRING (0 0, 999 999)"])
def test_gmns_link_geometry_must_be_lon_lat(tiny_path, tmp_path, shape):
    folder = _foreign_gmns(tiny_path, tmp_path / "bad")
    text = (folder / "link.csv").read_text().replace("LINESTRING (1 0, 0.5 0.5, 0 0)", shape)
    (folder / "link.csv").write_text(text)
    with pytest.raises(DataError, match="not a longitude in") as exc:
        read_gmns(folder)
    assert _problems(exc) == {("link.csv", 2, "geometry")}


@pytest.mark.parametrize("coords", ["[[NaN, NaN], [1.0, 0.0]]", "[[0.0, 0.0], [999.0, 999.0]]"])
def test_folder_link_geometry_must_be_lon_lat(tiny, tmp_path, coords):
    folder = write_network(_with_geometries(tiny), tmp_path / "net")
    [geojson] = folder.rglob("links.geojson")
    data = json.loads(geojson.read_text())
    k = next(i for i, f in enumerate(data["features"]) if f["properties"]["link_id"] == "p--q--rail")
    text = json.dumps(data)
    bent = json.dumps(data["features"][k]["geometry"]["coordinates"])
    geojson.write_text(text.replace(bent, coords))
    with pytest.raises(DataError, match="not a longitude in") as exc:
        read_network(folder)
    assert _problems(exc) == {("links.geojson", None, f"features[{k}] (link p--q--rail)")}


def test_geopackage_layers_in_another_crs_are_reprojected(tiny, tmp_path):
    import pyogrio

    network = _with_geometries(tiny)
    path = write_geopackage(network, tmp_path / "net.gpkg")
    for name in ("nodes", "links"):
        pyogrio.write_dataframe(pyogrio.read_dataframe(path, layer=name).to_crs("EPSG:3857"), path, layer=name)
    assert pyogrio.read_info(path, layer="nodes")["crs"] == "EPSG:3857"
    back = read_geopackage(path)
    assert back.node_by_id["s"].lon == pytest.approx(2.1) and back.node_by_id["s"].lat == pytest.approx(0.0, abs=1e-9)
    for got, want in zip(back.geometries["p--q--rail"], network.geometries["p--q--rail"], strict=True):
        assert got == pytest.approx(want, abs=1e-9)


def test_geopackage_without_crs_and_out_of_range_coordinates_is_named(tiny, tmp_path):
    import pyogrio

    path = write_geopackage(tiny, tmp_path / "net.gpkg")
    nodes = pyogrio.read_dataframe(path, layer="nodes").to_crs("EPSG:3857").set_crs(None, allow_override=True)
    pyogrio.write_dataframe(nodes, path, layer="nodes")
    with pytest.raises(DataError, match=r"net.gpkg\[nodes\] \[geometry\]: the layer declares no CRS") as exc:
        read_geopackage(path)
    assert ("net.gpkg[nodes]", None, "geometry") in _problems(exc)


@pytest.mark.parametrize("case", ["latin-1", "huge", "directory", "gmns latin-1", "gmns directory"])
def test_unreadable_csvs_are_problems_naming_the_file(tiny, tmp_path, case):
    folder = write_gmns(tiny, tmp_path / "g") if case.startswith("gmns") else write_network(tiny, tmp_path / "net")
    [target] = folder.rglob("node.csv" if case.startswith("gmns") else "nodes.csv")
    if case.endswith("latin-1"):
        assert b"Port P" in target.read_bytes()
        target.write_bytes(target.read_bytes().replace(b"Port P", "Pört P".encode("latin-1")))
        message = "not UTF-8 text"
    elif case == "huge":
        target.write_text(target.read_text() + "x," + "y" * 200_000 + "\n")
        message = "field larger than field limit"
    else:
        target.unlink()
        target.mkdir()
        message = "cannot read the file"
    with pytest.raises(DataError, match=message) as exc:
        read_network(folder)
    assert target.name in {Path(p.file).name for p in exc.value.problems}


@pytest.mark.parametrize("fmt", ["folder", "gmns"])
def test_a_utf8_byte_order_mark_is_read(tiny, tmp_path, fmt):
    folder = FORMATS[fmt][0](tiny, tmp_path / "x")
    for table in [*folder.rglob("*.csv")]:
        table.write_bytes(b"\xef\xbb\xbf" + table.read_bytes())
    assert_same(tiny, read_network(folder), fmt)


def test_omx_refuses_groups_strings_and_huge_matrices(tmp_path):
    from corridors.io import omx

    def build(name, make):
        path = tmp_path / name
        with h5py.File(path, "w") as f:
            make(f)
        return path

    cases = {
        "group": (lambda f: f.create_group("data/teu/inner"), "/data/teu is a group, not a matrix"),
        "lookup": (lambda f: (f.create_dataset("data/teu", data=[[1.0]]), f.create_dataset("lookup", data=[1])),
                   "/lookup is a dataset, not a group"),
        "strings": (lambda f: f.create_dataset("data/teu", data=[[b"a", b"b"], [b"c", b"d"]]), "not numbers"),
    }
    for name, (make, message) in cases.items():
        with pytest.raises(DataError, match=rf"^1 error\(s\) in the OMX file\n.*{message}"):
            omx.read_omx(build(f"{name}.omx", make))
    big = omx.MAX_ZONES + 1  # a chunked, empty dataset: nothing is read if the shape is checked first
    path = build("big.omx", lambda f: f.create_dataset("data/teu", shape=(big, big), dtype="f8", chunks=(64, 64)))
    with pytest.raises(DataError, match=f"has {big:,} zones; at most {omx.MAX_ZONES:,}"):
        omx.read_omx(path)
    several = build("several.omx", lambda f: (f.create_dataset("data/a", data=[[1.0]]),
                                              f.create_dataset("data/b", data=[[1.0]])))
    with pytest.raises(DataError, match=r"several matrices \(a, b\)"):
        omx.read_omx(several)
