"""Build one project copy once and print a JSON line: wall time of build() and the hook phases.

Run by bench/run.py in a fresh interpreter per build, so every build pays the same one-time costs
(imports aside: they happen before the clock starts) and no module state leaks between builds:

    python bench/build_once.py PROJECT_DIR SITE_DIR [CONFIG_FILE_NAME]

Only `mkdocs.commands.build.build()` is timed, exactly what `mkdocs build` runs between loading
the configuration and shutting down (jieba's dictionary load and the nested English build
included).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path


class _Count(logging.Handler):
    """Counts MkDocs warnings and errors (a --strict build would stop on any)."""

    def __init__(self) -> None:
        """Count from WARNING up."""
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the message (shortened)."""
        self.messages.append(f"{record.levelname}: {record.getMessage()}"[:300])


def main() -> None:
    """Build the project given on the command line and print the result line."""
    project, site = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    config_name = sys.argv[3] if len(sys.argv) > 3 else "mkdocs.yml"
    os.chdir(project)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    counter = _Count()
    logging.getLogger("mkdocs").addHandler(counter)
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(shown)
    config = load_config(config_file=str(project / config_name), site_dir=str(site), strict=False)
    config.plugins.on_startup(command="build", dirty=False)
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    config.plugins.on_shutdown()
    timing = sys.modules.get("timing")
    phases = timing.snapshot() if timing is not None else {}
    pages = sum(1 for _ in site.rglob("*.html"))
    print("BENCH-RESULT " + json.dumps({"seconds": seconds, "phases": phases, "html_files": pages,
                      "warnings": counter.messages}))


if __name__ == "__main__":
    main()
