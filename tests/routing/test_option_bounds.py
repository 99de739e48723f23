"""Route options hold finite, plausible numbers: an overflowing bulk mass or value of time is
refused with what is accepted, never turned into NaN weights."""

from __future__ import annotations

import math

import pytest

from corridors import InvalidOptionError, RouteOptions, route
from corridors.routing.options import cargo_unit


def test_a_bulk_mass_of_four_hundred_nines_is_refused_not_turned_into_nan(tiny):
    spec = "t:" + "9" * 400
    assert math.isinf(float(spec[2:]))  # what the old parser computed weights from
    with pytest.raises(InvalidOptionError, match=r"out of range: give t:N with N more than 0 and at most 1,000,000 tonnes") as info:
        RouteOptions(cargo=spec)
    assert len(str(info.value)) < 250  # the 400 digits are not echoed back
    with pytest.raises(InvalidOptionError, match="at most 1,000,000 tonnes"):
        cargo_unit(tiny.parameters, spec)


@pytest.mark.parametrize("spec", ["t:0", "t:0.0", "t:1000000.5"])
def test_bulk_masses_outside_the_range_are_refused(spec):
    with pytest.raises(InvalidOptionError, match="more than 0 and at most 1,000,000"):
        RouteOptions(cargo=spec)


def test_the_largest_bulk_mass_allowed_still_routes(tiny):
    """t:1000000 is 1e6 x bulk_t (0.1 TEU, 1 t each, tests/fixtures/tiny/parameters.yaml)."""
    result = route(tiny, "p", "t", RouteOptions(objective="time", cargo="t:1000000"))
    assert result.cargo.mass_t == 1_000_000 and result.cargo.teu_equivalent == pytest.approx(100_000)
    assert math.isfinite(result.cost_usd)


@pytest.mark.parametrize("name", ["value_of_time_usd_per_teu_h", "carbon_price_usd_per_t"])
@pytest.mark.parametrize("value", [math.inf, math.nan, -1.0])
def test_value_of_time_and_carbon_price_are_finite(name, value):
    with pytest.raises(InvalidOptionError, match=f"{name} must be a finite number, zero or more"):
        RouteOptions(**{name: value})


@pytest.mark.parametrize("spec", ["t:1e-300", "t:1e3", "t:-5", "t:", "t:.5"])
def test_a_bulk_mass_not_in_plain_decimals_gets_the_accepted_range_not_the_generic_message(spec):
    # t:1e-300 used to be "neither the name of a cargo unit nor t:N", which does not say what N may be
    with pytest.raises(InvalidOptionError, match=r"give t:N with N more than 0 and at most 1,000,000 tonnes"):
        RouteOptions(cargo=spec)


@pytest.mark.parametrize(("name", "limit"), [("value_of_time_usd_per_teu_h", 100_000.0), ("carbon_price_usd_per_t", 10_000.0)])
def test_value_of_time_and_carbon_price_have_the_bounds_of_parameters_yaml(name, limit):
    assert getattr(RouteOptions(**{name: limit}), name) == limit  # the bound itself is allowed
    for value in (limit * 1.01, 1e300):  # 1e300 overflowed the generalized cost
        with pytest.raises(InvalidOptionError, match=f"{name} must be a finite number, zero or more and at most {limit:,.0f}"):
            RouteOptions(**{name: value})
