"""`make check`: validate all data and print every problem as file:line, without a traceback."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .catalog import load_catalog
from .errors import DataError


def main(argv: list[str] | None = None) -> int:
    """Validate `data/` (or the folder given) and report; exit 1 on any problem."""
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "data"
    started = time.perf_counter()
    try:
        catalog = load_catalog(data_dir)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"data OK: {len(catalog.models)} models, {len(catalog.releases)} releases, "
          f"{len(catalog.scores)} scores, {len(catalog.terms)} terms, {len(catalog.sources)} sources "
          f"({elapsed:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
