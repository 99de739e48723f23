"""Fast point-to-point and matrix shortest paths on large graphs, re-costed per scenario.

Build once per topology, customise once per scenario (new weights; ``inf`` closes an arc), then
query: ``distance``, ``path`` (input-arc indices, to rebuild legs) and ``matrix``. Two engines
share that API: :class:`CCHRouter` (customizable contraction hierarchy via pyroutingkit, the
``world`` extra) and :class:`ScipyRouter` (scipy Dijkstra, always available, no early exit).
Both round weights to multiples of ``resolution`` and return exact least sums of the rounded
weights, so they agree with each other exactly.
"""

from corridors.routing.fast._common import Router
from corridors.routing.fast._engine import ENGINES, Engine, build_router, has_cch
from corridors.routing.fast.cch import CCHRouter
from corridors.routing.fast.scipy_engine import ScipyRouter

__all__ = ["ENGINES", "CCHRouter", "Engine", "Router", "ScipyRouter", "build_router", "has_cch"]
