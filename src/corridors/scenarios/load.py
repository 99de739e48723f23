"""Read scenario files: safe YAML, validated, with errors that give the key path and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corridors.errors import Problem, ScenarioError
from corridors.io.schema import validation_message
from corridors.scenarios.spec import ScenarioSpec


@dataclass(frozen=True)
class Scenario:
    """A validated scenario and where it came from (for error messages)."""

    spec: ScenarioSpec
    file: str
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.spec.name

    def line(self, path: str) -> int | None:
        """Line of a key path (``patches[3].where.country``), or of its nearest parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def problem(self, path: str, message: str) -> Problem:
        return Problem(self.file, self.line(path), path, message)


def _key_lines(node: yaml.Node, path: str = "", out: dict[str, int] | None = None) -> dict[str, int]:
    """Map key paths to 1-based line numbers from a composed YAML node tree."""
    out = {} if out is None else out
    if path:
        out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            out.setdefault(child, key.start_mark.line + 1)
            _key_lines(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _key_lines(item, f"{path}[{i}]", out)
    return out


_UNKNOWN_KEY_HINTS = {
    "parameters.cost_factor": "scale a mode's cost with a patch "
                              "{action: scale, element: mode, where: {mode: road}, factor: {cost: 1.2}}",
}
"""What to write instead of a key that scenario files no longer take."""


def _loc(parts: tuple[Any, ...]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text. Raises :class:`ScenarioError` with every problem found."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError([Problem(file, mark.line + 1 if mark else None, None, f"not valid YAML: {exc}")]) from None
    lines = _key_lines(node) if node is not None else {}
    if not isinstance(raw, dict):
        raise ScenarioError([Problem(file, 1, None, "a scenario file is a mapping with name, description, patches, ...")])
    try:
        spec = ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        scenario = Scenario(ScenarioSpec.model_construct(name="?"), file, lines)
        problems = []
        for error in exc.errors():
            path = _loc(tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))))
            message = validation_message(error) if error["type"] != "extra_forbidden" else "unknown key"
            if path in _UNKNOWN_KEY_HINTS:
                message += f"; {_UNKNOWN_KEY_HINTS[path]}"
            if error.get("input") is not None and error["type"] not in ("extra_forbidden", "missing") and not isinstance(error["input"], (dict, list)):
                message += f" (found {error['input']!r})"
            problems.append(scenario.problem(path, message))
        raise ScenarioError(problems) from None
    return Scenario(spec, file, lines)


def read_scenario(path: str | PathLike[str]) -> Scenario:
    """Read and validate a scenario YAML file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([Problem(str(file), None, None, f"cannot read the scenario file: {exc.strerror}")]) from None
    return parse_scenario(text, str(file))
