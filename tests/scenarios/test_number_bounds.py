"""Scenario numbers have the bounds of the network files (data/number_bounds.yaml), and YAML a
safe constructor cannot build is a ScenarioError with its line, never a bare ValueError."""

from __future__ import annotations

import pytest

from corridors.errors import ScenarioError
from corridors.scenarios import apply_scenario, parse_scenario
from corridors.scenarios.spec import MAX_FACTOR

HEAD = "name: x\ndescription: d\n"


def problems(network, text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        apply_scenario(network, parse_scenario(text, "test.yaml"))
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\ndescription: d\nnotes: [1, 2]\nsources: [" + "9" * 4400 + "]\n", 4),  # past Python's 4,300 digits
        ("name: x\ndescription: d\n\nbase: {year: " + "1" * 5000 + "}\n", 4),
    ],
)
def test_an_integer_too_long_to_read_is_a_scenario_error_with_its_line(text, line):
    with pytest.raises(ScenarioError) as info:  # was a bare ValueError: a 500 from the API
        parse_scenario(text, "test.yaml")
    [problem] = info.value.problems
    assert (problem.file, problem.line) == ("test.yaml", line)
    assert "4300 digits" in problem.message and len(problem.message) < 400


def test_a_date_shaped_scalar_that_is_no_date_stays_text():
    # PyYAML's timestamp constructor raised ValueError for these; a scenario holds no dates
    assert parse_scenario("name: x\ndescription: 2020-13-45\n", "test.yaml").spec.description == "2020-13-45"


def test_a_date_shaped_key_that_is_no_date_is_an_unknown_key():
    with pytest.raises(ScenarioError) as info:
        parse_scenario("name: x\ndescription: d\n2020-02-30: x\n", "test.yaml")
    assert [(p.line, p.column, p.message) for p in info.value.problems] == [(3, "2020-02-30", "unknown key")]


def test_a_real_date_stays_text_too():
    assert parse_scenario("name: x\ndescription: 2020-01-31\n").spec.description == "2020-01-31"


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ("{action: set, where: {ids: [p--q--rail]}, set: {wait_h: .nan}}", "set.wait_h]: nan is not a valid wait_h"),
        ("{action: set, where: {ids: [p--q--rail]}, set: {wait_h: 1e400}}", "no larger than 8,760 h"),
        ("{action: set, where: {ids: [p--q--rail]}, set: {distance_km: 1e300}}", "no larger than 40,075 km"),
        ("{action: set, where: {ids: [p--q--rail]}, set: {wait_h: -1}}", "-1 is not a valid wait_h"),
        ("{action: set, element: border, where: {ids: [r--s]}, set: {fee_usd: 1e308}}", "no larger than 1,000,000 USD"),
        ("{action: set, element: node, where: {ids: [p]}, set: {gauge_change_time_h: 9000}}", "no larger than 8,760 h"),
        ("{action: set, element: transfer, where: {modes: [rail, road]}, set: {time_h: .inf}}", "no larger than 8,760 h"),
        ("{action: set, element: mode, where: {mode: road}, set: {speed_kmh: 5000}}", "no larger than 1,000 km/h"),
        ("{action: set, where: {ids: [p--q--rail]}, set: {opens_year: 99999}}", "is not a valid opens_year"),
    ],
)
def test_set_values_have_the_bounds_of_the_network_files(tiny, patch, expected):
    found = problems(tiny, f"{HEAD}patches:\n  - {patch}\n")
    assert any(p.startswith("test.yaml:4 [patches[0].set.") and expected in p for p in found), found


def test_a_set_value_within_the_bounds_is_applied(tiny):
    applied = apply_scenario(tiny, parse_scenario(f"{HEAD}patches:\n  - {{action: set, where: {{ids: [p--q--rail]}}, "
                                                  "set: {wait_h: 8760, distance_km: 40075}}\n"))
    link = next(x for x in applied.network.links if x.id == "p--q--rail")
    assert (link.wait_h, link.distance_km) == (8760.0, 40075.0)


@pytest.mark.parametrize("value", [".nan", ".inf", "1e300", "0.0009", "1001"])
def test_a_factor_is_finite_and_within_a_thousandfold(tiny, value):
    found = problems(tiny, f"{HEAD}patches:\n  - {{action: scale, where: {{mode: rail}}, factor: {{time: {value}}}}}\n")
    assert any("[patches[0].factor]" in p and "from 0.001 to 1000" in p for p in found), found


def test_stacked_factors_multiply_to_at_most_a_millionfold(tiny):
    patch = f"  - {{action: scale, where: {{ids: [p--q--rail]}}, factor: {{cost: {MAX_FACTOR:g}}}}}\n"
    two = apply_scenario(tiny, parse_scenario(f"{HEAD}patches:\n{patch * 2}"))
    assert next(x for x in two.network.links if x.id == "p--q--rail").cost_factor == pytest.approx(1e6)
    found = problems(tiny, f"{HEAD}patches:\n{patch * 3}")  # 1e9: costs a thousand times past any scenario
    assert any(p.startswith("test.yaml:6 [patches[2].factor.cost]") and "from 1e-06 to 1e+06" in p for p in found), found


@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    [("value_of_time_usd_per_teu_h", "1e300", "no larger than 100,000 USD per TEU-hour"),
     ("carbon_price_usd_per_t", "1e300", "no larger than 10,000 USD per t CO2e"),
     ("carbon_price_usd_per_t", ".nan", "greater than or equal to 0")],
)
def test_parameters_have_the_bounds_of_parameters_yaml(tiny, parameter, value, expected):
    found = problems(tiny, f"{HEAD}parameters: {{{parameter}: {value}}}\n")
    assert any(f"test.yaml:3 [parameters.{parameter}]" in p and expected in p for p in found), found


def test_every_settable_field_of_the_built_in_kinds_is_checked_by_a_schema_field():
    from corridors.scenarios.elements import ELEMENT_KINDS

    for kind in ELEMENT_KINDS.values():
        if kind.settable:
            model = kind.bounds_model or kind.row_model
            assert model is not None and set(kind.settable) <= set(model.model_fields), kind.name
