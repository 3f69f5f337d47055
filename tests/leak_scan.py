"""Find the files written since a moment, to look for what a visitor left behind in them."""

from __future__ import annotations

import os
from pathlib import Path

SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "ms-playwright"}


def contents(path: Path) -> bytes:
    """Return a file's bytes, or none if another process deleted it since the scan found it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def files_changed_since(started: float, folders: list[Path]) -> list[Path]:
    found = []
    for folder in folders:
        for directory, subdirs, files in os.walk(folder):
            subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS]
            for name in files:
                path = Path(directory, name)
                try:
                    info = path.lstat()
                except OSError:
                    continue
                if info.st_mtime >= started and path.is_file() and info.st_size < 50_000_000:
                    found.append(path)
    return found
