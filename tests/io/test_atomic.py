"""Atomic writes: whole files only, the usual permissions, nothing left behind."""

from __future__ import annotations

import os
import stat

import pytest

from corridors.io._atomic import write_atomic


def test_new_files_get_the_umask_and_replaced_files_keep_their_mode(tmp_path):
    old = os.umask(0o027)
    try:
        new = write_atomic(tmp_path / "sub" / "a.txt", "first")
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640 and new.read_text() == "first"
    new.chmod(0o600)
    write_atomic(new, b"second")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600 and new.read_text() == "second"
    write_atomic(tmp_path / "b.bin", lambda f: f.write(b"\x00\x01"))
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.bin", "sub"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "keep.txt"
    write_atomic(target, "good")

    def broken(f):
        f.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomic(target, broken)
    assert target.read_text() == "good" and [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
