"""Which published figures the model was set from: a match there is circular, not validation.

A figure is *circular* when the document it cites is one the atlas cites: its ``source_id`` is
an atlas source id (a ``sources.csv`` row, or an id in the ``source_ids`` of a node, link,
border crossing or parameter), or its source's reference URL, or its publisher and title, are
those of an atlas source. Such figures are reported apart and not counted in the headline rate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from corridors.model import Network, Parameters, Source

__all__ = ["Circularity", "atlas_citations", "first_url", "reference_urls"]

_URL = re.compile(r"https?://[^\s;,<>\"]+", re.IGNORECASE)


def first_url(reference: str) -> str | None:
    """The first URL in a source's ``reference`` cell, as written (to link to it).

    >>> first_url("Table 3 ; https://example.org/report.pdf ; https://example.org/b")
    'https://example.org/report.pdf'
    """
    match = _URL.search(reference)
    return match.group(0) if match else None


def reference_urls(reference: str) -> frozenset[str]:
    """The URLs in a source's ``reference`` cell, normalised (no scheme, ``www.``, fragment or
    trailing slash; percent-escapes decoded; host lower-cased) so two spellings of one page match.

    >>> sorted(reference_urls("https://www.Example.org/a%20b/#top ; http://example.org/c/"))
    ['example.org/a b', 'example.org/c']
    """
    urls = set()
    for match in _URL.findall(reference):
        url = unquote(match.split("#", 1)[0]).rstrip("/.)")
        url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
        host, _, path = url.partition("/")
        host = host.lower().removeprefix("www.")
        urls.add(f"{host}/{path}".rstrip("/"))
    return frozenset(urls)


def _parameter_citations(parameters: Parameters) -> Iterable[tuple[str, Iterable[str]]]:
    for mode, figures in parameters.modes.items():
        yield f"parameters: {mode.value} mode", figures.source_ids
    for transfer in parameters.transfers:
        yield f"parameters: {'-'.join(sorted(m.value for m in transfer.modes))} transfer", transfer.source_ids
    for name, unit in parameters.cargo.items():
        yield f"parameters: cargo {name}", unit.source_ids
    yield "parameters: gauge change", parameters.gauge_change_source_ids
    yield "parameters: value of time", parameters.value_of_time_source_ids
    yield "parameters: carbon price", parameters.carbon_price_source_ids


def atlas_citations(network: Network) -> dict[str, tuple[str, ...]]:
    """For each source id the network's elements cite, what cites it (``"border samur--yalama
    (road)"``, ``"parameters: rail mode"``...): border crossings, parameters, links, then nodes."""
    cited: dict[str, list[str]] = {}
    elements = [
        *((f"border {b.id} ({b.mode.value})", b.source_ids) for b in network.borders),
        *_parameter_citations(network.parameters),
        *((f"link {link.id}", link.source_ids) for link in network.links),
        *((f"node {n.id}", n.source_ids) for n in network.nodes),
    ]
    for where, ids in elements:
        for source_id in ids:
            cited.setdefault(source_id, []).append(where)
    return {source_id: tuple(where) for source_id, where in cited.items()}


def _title_key(source: Source) -> tuple[str, str]:
    squash = lambda text: re.sub(r"\W+", " ", text).strip().lower()  # noqa: E731
    return squash(source.publisher), squash(source.title)


@dataclass(frozen=True)
class Circularity:
    """What the atlas cites, to tell whether a figure's source is one of them: the cited ids with
    what cites them, the atlas's source ids, and its sources by URL and by publisher and title."""

    citations: Mapping[str, tuple[str, ...]]
    atlas_ids: frozenset[str]
    by_url: Mapping[str, str]
    by_title: Mapping[tuple[str, str], str]

    @classmethod
    def of(cls, network: Network) -> Circularity:
        by_url = {url: s.id for s in network.sources for url in reference_urls(s.reference)}
        by_title = {_title_key(s): s.id for s in network.sources if s.title}
        return cls(atlas_citations(network), frozenset(s.id for s in network.sources), by_url, by_title)

    def reason(self, source_id: str, source: Source | None) -> str | None:
        """Why a figure citing ``source_id`` (described by ``source``) is circular, or ``None``."""
        match = self._atlas_match(source_id, source)
        if match is None:
            return None
        atlas_id, how = match
        where = self.citations.get(atlas_id, ())
        used = (f"; cited by {', '.join(where[:3])}" + (f" and {len(where) - 3} more" if len(where) > 3 else "")
                if where else "; an atlas source")
        return f"{how}{used}"

    def _atlas_match(self, source_id: str, source: Source | None) -> tuple[str, str] | None:
        if source_id in self.atlas_ids or source_id in self.citations:
            return source_id, f"atlas source {source_id}"
        if source is None:
            return None
        for url in sorted(reference_urls(source.reference)):
            if url in self.by_url:
                return self.by_url[url], f"same URL as atlas source {self.by_url[url]}"
        if source.title and _title_key(source) in self.by_title:
            atlas_id = self.by_title[_title_key(source)]
            return atlas_id, f"same publisher and title as atlas source {atlas_id}"
        return None
