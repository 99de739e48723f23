"""Inline notebook maps: offline HTML holding Leaflet, the outlines and the drawn features, and
nothing that points outside the document. On the tiny network (tests/fixtures/tiny)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from corridors import route
from corridors.analysis import Lane, base_case, compare, scenario_case
from corridors.io import notebook
from corridors.routing import RouteOptions
from corridors.scenarios import parse_scenario

ALLOWED_URLS = {
    "http://www.w3.org/2000/svg",  # the SVG namespace (in leaflet.js and the static SVG): a name, never fetched
    "http://www.w3.org/1999/xlink",  # the XLink namespace of the static SVG, likewise
    "https://leafletjs.com",  # Leaflet's default attribution prefix, a string in leaflet.js the map replaces
}


class _Tags(HTMLParser):
    """Collects the iframe's srcdoc, every tag and every src/href attribute of a document."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.srcdoc: list[str] = []
        self.tags: list[str] = []
        self.links: list[str] = []
        self.scripts: dict[str, str] = {}
        self._script_id = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "iframe":
            self.srcdoc.append(attrs.get("srcdoc", ""))
        self.links += [attrs[k] for k in ("src", "href") if attrs.get(k)]
        self._script_id = attrs.get("id", "") if tag == "script" else None

    def handle_data(self, data):
        if self._script_id is not None:
            self.scripts[self._script_id] = self.scripts.get(self._script_id, "") + data


def _document(fragment: str) -> _Tags:
    """The document inside a notebook fragment (one iframe), parsed; checks it is offline."""
    outer = _Tags(fragment)
    assert outer.tags == ["iframe"] and not outer.links
    doc = _Tags(outer.srcdoc[0])
    assert not doc.links, "no src= or href= at all: everything is inline"
    assert "link" not in doc.tags
    urls = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>)]*", outer.srcdoc[0]))
    assert urls <= ALLOWED_URLS, urls - ALLOWED_URLS
    return doc


@pytest.fixture(scope="module")
def leaflet():
    assets = notebook.leaflet_assets()
    if assets is None:
        pytest.skip("Leaflet is not in the package (make setup copies it from npm)")
    return assets


def _spec(doc: _Tags) -> dict:
    return json.loads(doc.scripts["map-data"])


def test_route_repr_html_is_an_offline_leaflet_map(tiny, leaflet):
    found = route(tiny, "Port P", "Town T", RouteOptions(modes=("rail",)))
    doc = _document(found._repr_html_())
    script, css = leaflet
    assert script in doc.scripts[""]  # Leaflet itself, inlined from the package
    assert "url(images/" not in "".join(doc.scripts.values()) and "url(data:image/png;base64," in css
    assert any("L.map(" in s for s in doc.scripts.values())
    spec = _spec(doc)
    [layer] = spec["layers"]
    kinds = [f["properties"]["feature"] for f in layer["geojson"]["features"]]
    assert sorted(kinds) == ["border", "leg", "leg", "transfer"]
    legs = [f["geometry"]["coordinates"] for f in layer["geojson"]["features"] if f["properties"]["feature"] == "leg"]
    assert legs == [[[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [2.1, 0.0]], [[2.1, 0.0], [3.0, 0.0]]]
    assert spec["bounds"] == [0.0, 0.0, 3.0, 0.0]
    # the base layer: the outlines around the route (the tiny network lies in the Gulf of Guinea)
    assert spec["basemap"]["type"] == "FeatureCollection" and spec["basemap"]["features"]
    popups = " ".join(f["properties"]["popup"] for f in layer["geojson"]["features"])
    assert "252 km" in popups and "R-S rail" in popups and "gauge change 1520-&gt;1435 mm" in popups


def test_route_explore_over_the_network_and_save(tiny, leaflet, tmp_path):
    found = route(tiny, "Port P", "Town T", RouteOptions(modes=("rail",)))
    shown = found.explore(network=tiny, height_px=300)
    assert 'height:300px' in shown._repr_html_()
    faded, drawn = _spec(_document(shown._repr_html_()))["layers"]
    assert faded["look"] == "faded" and len(faded["geojson"]["features"]) == len(tiny.links) + len(tiny.nodes)
    assert drawn["look"] == "route"
    path = shown.save(tmp_path / "route.html")
    assert path.read_text(encoding="utf-8") == shown.html and shown.html.startswith("<!DOCTYPE html>")


def test_network_explore_draws_every_link_and_node(tiny, leaflet):
    doc = _document(tiny._repr_html_())
    [layer] = _spec(doc)["layers"]
    features = layer["geojson"]["features"]
    links = [f for f in features if f["properties"]["feature"] == "link"]
    assert len(links) == len(tiny.links) and len(features) - len(links) == len(tiny.nodes)
    by_popup = {f["properties"]["popup"].split("</strong>")[0]: f for f in links}
    assert by_popup['<div class="map-popup"><strong>p--q--rail']["geometry"]["coordinates"] == [[0.0, 0.0], [1.0, 0.0]]


def test_comparison_map_shows_changed_lanes_before_and_after(tiny, leaflet):
    close_rs = parse_scenario("""
name: close-rs
description: the R-S rail crossing closes
patches:
  - {action: close, element: border, where: {ids: [r--s]}}
""", "close-rs.yaml")
    options = RouteOptions(objective="cost")
    result = compare(base_case(tiny, options), scenario_case(tiny, close_rs, options), [Lane("pt", "p", "t")])
    assert [c.status for c in result.lanes] == ["rerouted"]
    layers = _spec(_document(result._repr_html_()))["layers"]
    assert [layer["look"] for layer in layers] == ["before", "route"]
    before, after = (layer["geojson"]["features"] for layer in layers)
    # before by rail through R-S, after by road P-T (400 km, one leg)
    assert [f["properties"]["mode"] for f in after if f["properties"]["feature"] == "leg"] == ["road"]
    assert any(f["properties"]["mode"] == "rail" for f in before)


def test_without_leaflet_the_map_is_the_static_svg(tiny, monkeypatch):
    monkeypatch.setattr(notebook, "leaflet_assets", lambda: None)
    found = route(tiny, "Port P", "Town T", RouteOptions(modes=("rail",)))
    doc_text = _Tags(found._repr_html_()).srcdoc[0]
    _document(found._repr_html_())
    assert "<svg" in doc_text and "make setup" in doc_text and "L.map(" not in doc_text


def test_names_from_the_data_are_text_not_markup(tiny, leaflet):
    """A node named like an HTML image tag must not become one in the map (it would fetch its
    source and run a handler when hovered)."""
    import dataclasses

    hostile = '<img src="x.png" onerror="alert(1)">'
    nodes = tuple(dataclasses.replace(n, name=hostile) if n.id == "p" else n for n in tiny.nodes)
    spec = _spec(_document(dataclasses.replace(tiny, nodes=nodes).explore()._repr_html_()))
    tooltips = [f["properties"].get("tooltip", "") for layer in spec["layers"] for f in layer["geojson"]["features"]]
    assert any("&lt;img" in t for t in tooltips) and not any("<img" in t for t in tooltips)
