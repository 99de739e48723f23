"""Lane volumes are finite and plausible: infinity and overflow (1e999 reads as infinity, 1e308
overflows any total) are refused with the file, line and accepted range."""

from __future__ import annotations

import pytest

from corridors import DataError
from corridors.analysis.lanes import load_lanes

SOURCES = "id,kind,title,publisher,date,reference,notes\nstat-1,statistics,Lane counts,Someone,2025,https://example.org,\n"
HEADER = "id,origin,destination,cargo,volume_teu_per_year,volume_source_ids,notes\n"


@pytest.mark.parametrize("volume", ["inf", "Infinity", "1e999", "nan", "1e308", "1000000001", "-1"])
def test_a_volume_that_is_not_finite_or_over_the_world_total_is_refused(tmp_path, volume):
    (tmp_path / "sources.csv").write_text(SOURCES)
    path = tmp_path / "lanes.csv"
    path.write_text(HEADER + f"a,p,u,teu,{volume},stat-1,\n")
    with pytest.raises(DataError) as info:
        load_lanes(path)
    [problem] = [str(p) for p in info.value.problems]
    assert problem == (f"{path}:2 [volume_teu_per_year]: {volume!r} is out of range: give a finite number of TEU a "
                       "year, 0 to 1,000,000,000 (more than all the world's ports handle)")


def test_the_largest_plausible_volume_loads(tmp_path):
    (tmp_path / "sources.csv").write_text(SOURCES)
    path = tmp_path / "lanes.csv"
    path.write_text(HEADER + "a,p,u,teu,1000000000,stat-1,\n")
    assert [lane.volume_teu_per_year for lane in load_lanes(path)] == [1e9]


def test_a_lane_csv_with_an_oversize_field_or_a_multiline_note_reads_cleanly(tmp_path):
    """A field past the csv module's limit is a problem with its file, not a traceback; a quoted
    note over two lines stays one field."""
    from corridors.analysis import load_lanes
    from corridors.errors import DataError

    (tmp_path / "sources.csv").write_text("id,kind,title\ns1,report,Lane volumes\n")
    good = tmp_path / "lanes.csv"
    good.write_text('id,origin,destination,notes\nbt,Baku,Tbilisi,"first line\nsecond line"\n')
    [lane] = load_lanes(good)
    assert (lane.id, lane.origin, lane.destination) == ("bt", "Baku", "Tbilisi")
    bad = tmp_path / "bad.csv"
    bad.write_text('id,origin,destination\nbt,Baku,"' + "x" * 200_000 + '"\n')
    with pytest.raises(DataError, match="not a readable CSV"):
        load_lanes(bad)
