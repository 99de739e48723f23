"""Validation against published figures: how close the model comes to lengths, transit times,
border dwell and costs that others measured and published.

:func:`load_figures` reads the packaged table (``data/validation``, the contract in
docs/validation.md), :func:`run_validation` answers every figure on one
:class:`~corridors.Session` and :mod:`corridors.validation.report` /
:mod:`corridors.validation.html` present the result. Figures whose source the atlas itself cites
are circular, reported apart and not counted in the hit rates.

>>> from corridors import Session
>>> with Session() as session:  # doctest: +SKIP
...     report = run_validation(load_figures(session.network), session)
>>> report.overall.rate  # doctest: +SKIP
"""

from corridors.validation.circular import Circularity, atlas_citations
from corridors.validation.run import CategoryRate, FigureResult, ValidationReport, run_validation
from corridors.validation.table import CATEGORIES, TOLERANCE, Figure, FigureTable, load_figures, read_figures

__all__ = [
    "CATEGORIES",
    "TOLERANCE",
    "CategoryRate",
    "Circularity",
    "Figure",
    "FigureResult",
    "FigureTable",
    "ValidationReport",
    "atlas_citations",
    "load_figures",
    "read_figures",
    "run_validation",
]
