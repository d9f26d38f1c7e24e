"""A static server for a built site that compresses like GitHub Pages: gzip for text, not for fonts
and images, the site under its site_url path, the site's 404 page for anything else.

`make bench` serves the site with it to measure what a first visit downloads and to run
Lighthouse. By hand: `python bench/serve.py site` (then open the address it prints).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import mimetypes
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What GitHub Pages sends compressed (its CDN compresses text types; woff2 and images already are).
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
                    "application/atom+xml", "application/schema+json", "image/svg+xml")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("application/json", ".map")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("application/atom+xml", ".atom")


def site_path(site_dir: Path) -> str:
    """The path part of the site's address, from its sitemap (the shortest `<loc>` is the home page)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return "/"
    locs = [e.text or "" for e in ET.parse(sitemap).getroot().findall("s:url/s:loc", SITEMAP_NS)]
    path = urlsplit(min(locs, key=len)).path if locs else "/"
    return path if path.endswith("/") else path + "/"


@lru_cache(maxsize=None)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file compressed at level 6 (what web servers commonly use), remembered while unchanged."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def _content_type(path: Path) -> str:
    """The MIME type of a file, with a charset for text."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "javascript", "xml")) \
        else kind


def make_handler(site_dir: Path, prefix: str):
    """A request handler class serving `site_dir` at `prefix`."""
    site_dir = site_dir.resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        """GET and HEAD of files below the prefix; directories serve their index.html."""

        protocol_version = "HTTP/1.1"

        def _file(self) -> tuple[Path | None, bool]:
            """(the file to send, whether it is the 404 page); None when a directory lacks its slash."""
            path = unquote(urlsplit(self.path).path)
            if path.startswith(prefix) or path + "/" == prefix:
                target = (site_dir / path[len(prefix):].lstrip("/")).resolve()
                if target.is_relative_to(site_dir):
                    if target.is_dir():
                        if not path.endswith("/"):
                            return None, False
                        target = target / "index.html"
                    if target.is_file():
                        return target, False
            return site_dir / "404.html", True

        def _send(self, body: bool) -> None:
            """Answer the request, with or without the body."""
            target, missing = self._file()
            if target is None:  # a folder without its slash: redirect, as GitHub Pages does
                self.send_response(301)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            kind = _content_type(target)
            data = target.read_bytes() if target.is_file() else b"not found"
            compress = kind.startswith(COMPRESSED_TYPES) and "gzip" in self.headers.get("Accept-Encoding", "")
            if compress:
                data = _gzipped(target, target.stat().st_mtime_ns)
            self.send_response(404 if missing else 200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' caching
            if compress:
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            """A GET request."""
            self._send(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            """A HEAD request."""
            self._send(body=False)

        def log_message(self, format, *args) -> None:  # noqa: A002
            """Quiet: the bench prints its own progress."""

    return Handler


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading server that prints no traceback when a browser drops a kept-alive connection."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Ignore a connection the browser reset or closed; report any other error."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve the site in a thread on 127.0.0.1; yields the address of its home page."""
    prefix = site_path(site_dir)
    server = QuietServer(("127.0.0.1", port), make_handler(site_dir, prefix))
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    """Serve a built site until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"))
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site}: no built site here (run `make build` first)")
    with serving(args.site, args.port) as root:
        print(f"serving {args.site} with gzip at {root} (Ctrl-C stops)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
