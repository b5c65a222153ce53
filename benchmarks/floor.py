"""The floor of a ``render``: what any render must do, in a process of its own.

    python benchmarks/floor.py STORE_FOLDER OUT_FOLDER [FILE ...]

It starts Python, imports what ``render`` imports (the CLI and Jinja), reads and
json-loads every store file, and writes the bytes of each FILE (the outputs a render
wrote) into OUT_FOLDER, each flushed to disk as ``render`` does. ``render`` over the
same project can only be slower; ``benchmarks/run.py`` reports the ratio.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import jinja2  # noqa: F401  (imported for its cost, as render imports it)

import daily_papers.cli  # noqa: F401


def main(argv: list[str]) -> int:
    store, out, *written = argv
    for path in sorted(Path(store).glob("*.json")):
        json.loads(path.read_bytes())
    for number, name in enumerate(written):
        with open(Path(out) / f"{number}.out", "wb") as handle:
            handle.write(Path(name).read_bytes())
            handle.flush()
            os.fsync(handle.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
