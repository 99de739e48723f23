"""Compile a Network into an immutable multimodal state graph (CSR arrays)."""

from corridors.graph.compile import NEVER, EdgeKind, Layer, MultimodalGraph, compile_graph

__all__ = ["NEVER", "EdgeKind", "Layer", "MultimodalGraph", "compile_graph"]
