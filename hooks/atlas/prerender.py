"""Expand markers and annotate glossary terms in a second process, alongside MkDocs.

MkDocs converts pages one after another on one core, and expanding markers and annotating terms
were most of the hooks' time (bench/REPORT.md). Both are pure functions of a page and the
catalog, so one forked worker per language build does them while MkDocs converts pages:

1. At `on_files` the worker starts expanding the markers of every page of the build, in order;
   `on_page_markdown` takes a finished result instead of rendering.
2. Once the pages are expanded, the worker makes the /data/ downloads (they depend only on the
   catalog), which `finish` then only writes.
3. MkDocs first converts every page (ending in `on_page_content`), then, after `on_env`, builds
   them. So `on_page_content` hands the page's HTML to the worker and returns it as it is, and
   `on_env` swaps in the annotated HTML before any page is indexed for search or written.

A result is used only if it was made from exactly the text MkDocs has at that point (compared by
digest). Everything else falls back to the same function in the build process, which gives the
same bytes and raises any error with its page and line: no fork on this platform, a page another
plugin changed, a marker error, a worker that died. Queues carry the messages, so neither side
ever blocks on sending while the other is busy.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import queue
import sys
from dataclasses import dataclass
from typing import Any, Callable

from . import timing
from .catalog import Catalog
from .pages import Expanded, annotate_page, expand_page

# How long to wait for a message before checking that the worker is still alive.
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Job:
    """One page to expand: its source path as MkDocs names it, its file and its language."""

    src_uri: str
    path: str
    lang: str


def digest(text: str) -> bytes:
    """A fingerprint of a page's text, to check a result was made from the same text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def available() -> bool:
    """True where a forked worker is cheap and safe: Linux (macOS and Windows spawn, re-importing)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class Prerenderer:
    """The worker of one language build, and the results it has sent so far."""

    def __init__(self, jobs: list[Job], catalog: Catalog, read_markdown: Callable[[str], str],
                 make_downloads: Callable[[Catalog], Any] | None = None):
        """Fork the worker; it inherits the loaded catalog and templates instead of pickling them.

        `make_downloads(catalog)`, if given, runs in the worker once the pages are expanded; its
        value is `downloads` after `close()` (None if it failed: `finish` then makes them itself).
        """
        context = multiprocessing.get_context("fork")
        self._requests = context.Queue()
        self._results = context.Queue()
        self._process = context.Process(
            target=_work, args=(self._requests, self._results, jobs, catalog, read_markdown, make_downloads),
            name="atlas-prerender", daemon=True)
        self._process.start()
        self._pending = {job.src_uri for job in jobs}  # pages whose expansion is still to be taken
        self._pages: dict[str, tuple[bytes, Expanded | None]] = {}
        self._html: dict[str, tuple[bytes, str | None]] = {}
        self._asked: set[str] = set()
        self._finished = False  # the worker has sent everything it will send
        self._closed = False  # no more annotation requests
        self.worker_timing: dict[str, dict[str, float]] = {}
        self.downloads: Any = None
        self.used = {"markers": 0, "annotations": 0}

    def take(self, src_uri: str, markdown: str) -> Expanded | None:
        """The page's expansion if the worker made it from this very Markdown, else None."""
        return self._collect(self._pending, self._pages, src_uri, markdown, "markers")

    def annotate_later(self, src_uri: str, lang: str, html: str) -> None:
        """Ask the worker to annotate the page's HTML; collect it with `annotated` after `close_requests`."""
        if not self._closed and not self._finished:
            self._requests.put((src_uri, lang, html))
            self._asked.add(src_uri)

    def close_requests(self) -> None:
        """No more pages will be sent: the worker finishes the ones it has, then stops."""
        if not self._closed:
            self._closed = True
            self._requests.put(None)

    def annotated(self, src_uri: str, html: str) -> str | None:
        """The annotated HTML if the worker made it from this very HTML, else None."""
        return self._collect(self._asked, self._html, src_uri, html, "annotations")

    def _collect(self, expected: set[str], results: dict[str, tuple[bytes, Any]], key: str, text: str,
                 counter: str) -> Any:
        """The worker's result for `key` if one is coming and was made from this very text, else None."""
        if key not in expected:
            return None  # not one of the jobs or requests, or already collected: nothing will come
        expected.discard(key)
        while key not in results and not self._finished:
            self._receive()
        found = results.pop(key, None)
        if found is None or found[1] is None or found[0] != digest(text):
            return None
        self.used[counter] += 1
        return found[1]

    def close(self) -> None:
        """Wait for the worker's timing totals (make bench), then make sure it has exited."""
        self.close_requests()
        while not self._finished:
            self._receive()
        self._process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        """Stop the worker now if it is still running (a failed build does not wait for it)."""
        self._finished = self._closed = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        for channel in (self._requests, self._results):
            channel.close()
            channel.cancel_join_thread()  # never wait at exit for messages nobody will read

    def _receive(self) -> None:
        """Store the worker's next message; a worker that has exited has nothing more to say."""
        try:
            message = self._results.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if not self._process.is_alive() and self._results.empty():
                self._finished = True
            return
        except (EOFError, OSError):
            self._finished = True
            return
        self._store(message)

    def _store(self, message: tuple[Any, ...]) -> None:
        """File one message under its kind."""
        kind = message[0]
        if kind == "page":
            self._pages[message[1]] = (message[2], message[3])
        elif kind == "html":
            self._html[message[1]] = (message[2], message[3])
        elif kind == "downloads":
            self.downloads = message[1]
        elif kind == "done":
            self.worker_timing = message[1]
            self._finished = True


def _work(requests, results, jobs: list[Job], catalog: Catalog, read_markdown: Callable[[str], str],
          make_downloads: Callable[[Catalog], Any] | None) -> None:
    """The worker: expand every job's page, run make_downloads, then annotate pages until told to stop."""
    timing.reset()  # count only this worker's own work
    for job in jobs:
        try:
            markdown = read_markdown(job.path)
            with timing.phase(timing.EXPAND):
                expanded = expand_page(markdown, job.src_uri, job.lang, catalog)
            results.put(("page", job.src_uri, digest(markdown), expanded))
        except Exception:  # noqa: BLE001 - the build process expands it again and reports the error
            results.put(("page", job.src_uri, b"", None))
    if make_downloads is not None:
        try:
            with timing.phase(timing.DOWNLOADS):
                value = make_downloads(catalog)
            results.put(("downloads", value))
        except Exception:  # noqa: BLE001 - the build process does it itself
            pass
    for request in iter(requests.get, None):
        src_uri, lang, html = request
        try:
            with timing.phase(timing.ANNOTATE):
                annotated = annotate_page(html, src_uri, lang, catalog)
            results.put(("html", src_uri, digest(html), annotated))
        except Exception:  # noqa: BLE001 - the build process annotates it again
            results.put(("html", src_uri, b"", None))
    results.put(("done", timing.snapshot()))
