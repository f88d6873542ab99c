"""geo.atomic: a write is all or nothing, goes to regular files only, and shared files stay readable by others."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from geo.atomic import write_atomically
from geo.safefile import FileRefused


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


def test_a_symlink_target_is_refused_and_left_alone(tmp_path):
    real = tmp_path / "real.html"
    real.write_bytes(b"keep")
    link = tmp_path / "story.html"
    link.symlink_to(real)
    with pytest.raises(FileRefused, match="symbolic link"):
        write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"keep"


@pytest.mark.parametrize("target", ["/dev/null", "/dev/zero"])
def test_a_device_target_is_refused(target):
    with pytest.raises(FileRefused, match="is a device"):
        write_atomically(Path(target), b"new")


def test_a_folder_or_fifo_target_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="FIFO"):
        write_atomically(fifo, b"new")
    with pytest.raises(FileRefused, match="a folder"):
        write_atomically(tmp_path, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_missing_folder_is_named_not_the_temp_file(tmp_path):
    with pytest.raises(FileRefused) as refused:
        write_atomically(tmp_path / "nope" / "story.html", b"x")
    message = str(refused.value)
    assert f"no folder {tmp_path / 'nope'}" in message and ".tmp" not in message


def test_temp_files_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    target = tmp_path / "story.html"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".story.html.{dead.stdout.strip()}.0badf00d.tmp"
    live = tmp_path / f".story.html.{os.getpid()}.0badf00d.tmp"
    stale.write_bytes(b"half")
    live.write_bytes(b"half")
    write_atomically(target, b"whole")
    assert not stale.exists() and live.exists() and target.read_bytes() == b"whole"
