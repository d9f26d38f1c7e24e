"""Fingerprints of the seed article, so tests can prove no sentence of it was copied.

The article itself is not in the repository. We keep hashes of every window of WINDOW
normalized characters (whitespace and punctuation removed) that holds at least MIN_HAN Chinese
characters; a page that shares any such window with the article has copied a run of its text.
Regenerate with: python tests/seedprint.py ../shared/seed/000_8482b5cb64f6d827.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WINDOW = 16
MIN_HAN = 10
HAN = re.compile(r"[\u4e00-\u9fff]")
DROP = re.compile(r"[\s\W_]+", re.UNICODE)
FINGERPRINTS = Path(__file__).parent / "fixtures" / "seed-fingerprints.txt"


def normalize(text: str) -> str:
    """Remove whitespace and punctuation, lower-case Latin letters."""
    return DROP.sub("", text).lower()


def windows(text: str) -> set[str]:
    """Hashes of every Han-rich window of the normalized text."""
    flat = normalize(text)
    found = set()
    for start in range(max(0, len(flat) - WINDOW + 1)):
        chunk = flat[start:start + WINDOW]
        if len(HAN.findall(chunk)) >= MIN_HAN:
            found.add(hashlib.blake2b(chunk.encode(), digest_size=8).hexdigest())
    return found


if __name__ == "__main__":
    prints = sorted(windows(Path(sys.argv[1]).read_text(encoding="utf-8")))
    FINGERPRINTS.write_text("\n".join(prints) + "\n", encoding="utf-8")
    print(f"{len(prints)} fingerprints written to {FINGERPRINTS}")
