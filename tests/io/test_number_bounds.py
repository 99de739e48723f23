"""Numbers in network files are finite and plausible: overflow (1e400 reads as infinity) and
typos are refused with the file, line, column, the accepted range and why."""

from __future__ import annotations

import shutil

import pytest

from corridors import DataError, read_network


def _problems(folder) -> list[str]:
    with pytest.raises(DataError) as info:
        read_network(folder)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("cell", ["1e400", "inf", "Infinity", "9000"])
def test_a_dwell_of_infinity_or_over_a_year_is_refused_with_file_line_and_column(tiny_path, tmp_path, cell):
    folder = tmp_path / "net"
    shutil.copytree(tiny_path, folder)
    borders = (folder / "borders.csv").read_text()
    (folder / "borders.csv").write_text(borders.replace("r--s,R-S rail,AZ,IR,rail,operational,,10,30,100",
                                                        f"r--s,R-S rail,AZ,IR,rail,operational,,{cell},30,100"))
    [problem] = _problems(folder)
    assert problem.startswith("net/borders.csv:2 [dwell_h]: must be a finite number no larger than 8,760 h (a year")
    assert problem.endswith(f"(found {cell!r})")


def test_a_fee_link_cost_and_parameters_out_of_range_are_each_named(tiny_path, tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(tiny_path, folder)
    borders = (folder / "borders.csv").read_text()
    (folder / "borders.csv").write_text(borders.replace("p--t,P-T road,AZ,IR,road,operational,,20,,150",
                                                        "p--t,P-T road,AZ,IR,road,operational,,20,,1e400"))
    params = (folder / "parameters.yaml").read_text()
    assert "value_of_time_usd_per_teu_h: 10\n" in params
    params = params.replace("value_of_time_usd_per_teu_h: 10\n", "value_of_time_usd_per_teu_h: .inf\n")
    (folder / "parameters.yaml").write_text(params)
    problems = _problems(folder)
    assert any(p.startswith("net/borders.csv:3 [fee_usd]: must be a finite number no larger than 1,000,000 USD") for p in problems), problems
    assert any(p.startswith("net/parameters.yaml [value_of_time_usd_per_teu_h]: must be a finite number") for p in problems), problems


def test_the_packaged_atlas_is_within_every_bound():
    from corridors import load_atlas

    assert load_atlas().links  # loading validates every row against the bounds
