"""Scenario input that would exhaust memory or stand in for a built-in is refused: aliases,
oversized texts, deep nesting, and a file in the working directory named like a built-in."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from corridors import Session
from corridors.errors import ScenarioError
from corridors.scenarios import load_scenario
from corridors.scenarios.builtin import builtin_text, looks_like_path
from corridors.scenarios.load import MAX_SCENARIO_BYTES, parse_scenario, read_scenario

SMALL = "name: mine\ndescription: a scenario of my own\n"


def _alias_bomb(levels: int = 8, width: int = 9) -> str:
    """About 480 bytes standing for 9**8 (43 million) copies of one list once aliases expand."""
    lines = ["name: bomb", "a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_any_expansion():
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ScenarioError) as info:
            parse_scenario(_alias_bomb(), "bomb.yaml")
        elapsed_s = time.perf_counter() - started
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [problem] = info.value.problems
    assert (problem.file, problem.line) == ("bomb.yaml", 3)  # the first alias, *a0 on the a1 line
    assert "aliases (*name) are not allowed" in problem.message
    assert elapsed_s < 1.0 and peak_bytes < 1_000_000  # the expanded lists would be gigabytes


def test_one_alias_is_refused_too_and_anchors_alone_are_fine():
    with pytest.raises(ScenarioError, match="aliases"):
        parse_scenario(SMALL + "x: &x [1]\ny: *x\n")
    with pytest.raises(ScenarioError, match="unknown key"):  # parsed; only the schema objects
        parse_scenario(SMALL + "x: &x [1]\n")


def test_a_text_over_the_size_limit_is_refused_before_it_is_parsed():
    text = SMALL + "#" * MAX_SCENARIO_BYTES
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match=r"the limit is 1,000,000 \(a scenario is a few kB of YAML\)"):
        parse_scenario(text)
    assert time.perf_counter() - started < 0.5


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(SMALL + "#" * MAX_SCENARIO_BYTES)
    with pytest.raises(ScenarioError, match="larger than the limit of 1,000,000 bytes"):
        read_scenario(path)


def test_nesting_too_deep_is_an_error_not_a_crash():
    with pytest.raises(ScenarioError, match="nested too deeply"):
        parse_scenario(SMALL + "x: " + "[" * 5000 + "]" * 5000 + "\n")


def test_a_file_named_like_a_built_in_in_the_working_directory_does_not_replace_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    impostor = "name: zangezur-open\ndescription: not the built-in\n"
    (tmp_path / "zangezur-open").write_text(impostor)
    (tmp_path / "zangezur-open.yaml").write_text(impostor)
    builtin = load_scenario("zangezur-open")
    assert builtin.file == "scenarios/zangezur-open.yaml" and builtin.spec.description != "not the built-in"
    for path in ("./zangezur-open.yaml", "./zangezur-open", "zangezur-open.yaml"):
        assert load_scenario(path).spec.description == "not the built-in"
    with Session() as session:
        assert session.applied("zangezur-open").description == builtin.spec.description
        assert session.applied("./zangezur-open.yaml").description == "not the built-in"


def test_a_bare_name_that_is_no_built_in_is_not_read_as_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").write_text(SMALL)
    with pytest.raises(ScenarioError, match=r"no built-in scenario of that name.*give it as ./mine"):
        load_scenario("mine")
    assert load_scenario("./mine").name == "mine"


def test_what_looks_like_a_path():
    assert builtin_text("zangezur-open") is not None and not looks_like_path("zangezur-open")
    assert all(looks_like_path(p) for p in ("a.yaml", "a.yml", "./a", "dir/a", "/tmp/a"))


def test_a_control_character_is_a_yaml_error_not_a_crash():
    with pytest.raises(ScenarioError, match="not valid YAML: unacceptable character #x001f"):
        parse_scenario("\x1f")
