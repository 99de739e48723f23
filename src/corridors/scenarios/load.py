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

MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario text read (1 MB, UTF-8): the built-ins are under 4 kB, and a file this size
still parses in well under a second; a larger one is refused before it is parsed."""


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases (``*name``) as it composes: a few nested aliases can
    stand for billions of nodes (an "alias bomb"), so none is let through to be walked. A
    date-shaped scalar stays a string (a scenario holds no dates, and ``2020-13-45`` would be a
    bare ValueError); a value no constructor can build is reported with its line."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return super().compose_node(parent, index)  # type: ignore[no-any-return]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except ValueError as exc:  # an integer over 4,300 digits, say
            raise _BadValue(node.start_mark, exc) from None


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(mark)
        self.mark = mark


class _BadValue(Exception):
    """A scalar the safe constructors refuse with a ValueError, at ``mark``."""

    def __init__(self, mark: yaml.Mark, error: ValueError) -> None:
        super().__init__(mark, error)
        self.mark, self.error = mark, error


def _compose(text: str, file: str) -> tuple[yaml.Node | None, Any]:
    """The node tree and the value of a YAML text (parsed once), refusing an oversized text,
    aliases and nesting too deep to walk, before anything is expanded."""
    size = len(text.encode("utf-8"))
    if size > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem(file, None, None, f"the scenario text is {size:,} bytes; "
                                     f"the limit is {MAX_SCENARIO_BYTES:,} (a scenario is a few kB of YAML)")])
    loader = None
    try:
        loader = _NoAliasLoader(text)  # its reader already refuses control characters
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    except _AliasFound as found:
        raise ScenarioError([Problem(file, found.mark.line + 1, None, "YAML aliases (*name) are not allowed "
                                     "in a scenario file; write the value out where it is used")]) from None
    except _BadValue as bad:
        raise ScenarioError([Problem(file, bad.mark.line + 1, None,
                                     f"not a value a scenario can hold: {str(bad.error)[:200]}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError([Problem(file, mark.line + 1 if mark else None, None, f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(file, None, None, "the YAML is nested too deeply to read; "
                                     "a scenario needs a few levels of mappings and lists")]) from None
    finally:
        if loader is not None:
            loader.dispose()


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
    """Validate scenario YAML text (at most :data:`MAX_SCENARIO_BYTES`, no aliases). Raises
    :class:`ScenarioError` with every problem found."""
    node, raw = _compose(text, file)
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
        with file.open("rb") as f:
            data = f.read(MAX_SCENARIO_BYTES + 1)  # never more: a larger file is refused unread
    except OSError as exc:
        raise ScenarioError([Problem(str(file), None, None, f"cannot read the scenario file: {exc.strerror}")]) from None
    if len(data) > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem(str(file), None, None, f"the scenario file is larger than the limit of "
                                     f"{MAX_SCENARIO_BYTES:,} bytes (a scenario is a few kB of YAML)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(str(file), None, None, f"the scenario file is not UTF-8 text: {exc.reason} "
                                     f"at byte {exc.start}")]) from None
    return parse_scenario(text, str(file))
