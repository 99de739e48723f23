"""mkdocs hook: the docstrings cross-reference in Sphinx's style (:class:`~corridors.model.Network`),
which mkdocstrings shows verbatim; show the name alone, as Sphinx would (``Network``, or the full
path without the ``~``)."""

from __future__ import annotations

import re

ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):<code>(~?)([\w.()]+)</code>")


def _name(match: re.Match) -> str:
    short, path = match.groups()
    return f"<code>{path.rsplit('.', 1)[-1] if short else path}</code>"


def on_page_content(html: str, **kwargs) -> str:
    return ROLE.sub(_name, html)
