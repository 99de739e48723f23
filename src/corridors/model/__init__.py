"""The corridors network model: pure data, validated at the boundary by :mod:`corridors.io`."""

from corridors.model.changes import Change
from corridors.model.enums import MODES, LengthSource, Mode, NodeKind, SourceKind, Status, layer_label
from corridors.model.network import (
    FIRST_YEAR,
    LAST_YEAR,
    BorderCrossing,
    CargoUnit,
    Link,
    ModeParameters,
    Network,
    Node,
    Parameters,
    Source,
    TransferParameters,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "BorderCrossing",
    "CargoUnit",
    "Change",
    "LengthSource",
    "Link",
    "MODES",
    "Mode",
    "ModeParameters",
    "Network",
    "Node",
    "NodeKind",
    "Parameters",
    "Source",
    "SourceKind",
    "Status",
    "layer_label",
    "TransferParameters",
]
