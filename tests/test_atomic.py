"""geo.atomic: a write is all or nothing, and shared files stay readable by others."""

from __future__ import annotations

import stat

import pytest

from geo.atomic import write_atomically


def test_a_new_file_is_shareable_and_an_old_files_mode_is_kept(tmp_path):
    fresh = tmp_path / "story.html"
    write_atomically(fresh, b"one")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # a teacher's web server can serve it
    fresh.chmod(0o640)
    write_atomically(fresh, b"two")
    assert fresh.read_bytes() == b"two" and stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "story.yaml"
    target.write_bytes(b"old")

    def broken_replace(*_):
        raise OSError("disk full")

    monkeypatch.setattr("geo.atomic.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["story.yaml"]
