"""The leak scan copes with a busy machine: files appear and vanish while it looks."""

from __future__ import annotations

import time

from tests.leak_scan import contents, files_changed_since


def test_the_scan_finds_files_written_since_it_began_and_skips_older_ones(tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("before")
    started = time.time() + 0.01
    while time.time() < started:
        pass  # a moment after the old file's time, whatever the clock's grain
    (tmp_path / "sub").mkdir()
    new = tmp_path / "sub" / "new.txt"
    new.write_text("after")
    assert files_changed_since(started, [tmp_path]) == [new]


def test_a_file_deleted_by_another_process_after_the_scan_found_it_reads_as_empty(tmp_path):
    gone = tmp_path / "gone.txt"
    gone.write_text("NOTE-001")
    found = files_changed_since(0, [tmp_path])
    gone.unlink()  # as another process does in /tmp, between the scan and the read
    assert found == [gone]
    assert contents(gone) == b""


def test_a_folder_that_vanishes_during_the_scan_is_passed_over(tmp_path):
    assert files_changed_since(0, [tmp_path / "never-there"]) == []
