"""Serve the built site with gzip, as GitHub Pages does, for measuring it in a browser (Lighthouse).

    python bench/serve_gzip.py [--site site] [--port 8765] [--prefix /qwen-atlas/]

Files are served below `prefix` (the path of site_url, read from the built sitemap unless given),
so the pages' relative links resolve as they do on the published site. Text files (HTML, CSS,
JavaScript, JSON, SVG, XML) are gzip-compressed (level 6) when the browser accepts it; responses
carry a short cache lifetime, as GitHub Pages' `max-age=600`. Compressed bodies are cached in
memory by path and modification time.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import mimetypes
import posixpath
import sys
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def site_prefix(site_dir: Path) -> str:
    """The path part of site_url, from the built sitemap (its shortest <loc> is the home page)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return "/"
    locs = [e.text or "" for e in ET.parse(sitemap).getroot().findall("s:url/s:loc", SITEMAP_NS)]
    path = urlsplit(min(locs, key=len)).path if locs else "/"
    return path if path.endswith("/") else path + "/"


@lru_cache(maxsize=512)
def _compressed(path: str, mtime: float) -> bytes:
    """A file's bytes, gzip level 6 (what web servers typically use); keyed by mtime."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def make_handler(site_dir: Path, prefix: str):
    """A request handler class serving `site_dir` below `prefix`, gzip-compressing text."""

    class Handler(http.server.BaseHTTPRequestHandler):
        """GET and HEAD of static files; directories answer with their index.html."""

        protocol_version = "HTTP/1.1"

        def _resolve(self) -> Path | None:
            """The file a request path names, or None (outside the prefix or the site, or missing)."""
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(prefix):
                return None
            relative = posixpath.normpath("/" + path[len(prefix):]).lstrip("/")
            target = (site_dir / relative).resolve()
            if site_dir.resolve() not in (target, *target.parents):
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None

        def _send(self, head_only: bool) -> None:
            """Answer with the file (gzip when accepted and worth it) or the site's 404 page."""
            target, status = self._resolve(), 200
            if target is None:
                target, status = site_dir / "404.html", 404
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
                kind += "; charset=utf-8"
            zipped = (target.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""))
            body = (_compressed(str(target), target.stat().st_mtime) if zipped
                    else target.read_bytes()) if target.is_file() else b"not found"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.send_header("Vary", "Accept-Encoding")
            if zipped:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def do_GET(self):  # noqa: N802 (http.server's name)
            """Serve a file."""
            self._send(head_only=False)

        def do_HEAD(self):  # noqa: N802
            """Serve a file's headers."""
            self._send(head_only=True)

        def log_message(self, format, *args):  # noqa: A002
            """Quiet: a measurement run needs no access log."""

    return Handler


def serve(site_dir: Path, port: int, prefix: str | None = None) -> http.server.ThreadingHTTPServer:
    """A started-but-not-running threaded server on 127.0.0.1:`port` (0: any free port)."""
    prefix = prefix or site_prefix(site_dir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(site_dir, prefix))
    server.daemon_threads = True
    server.prefix = prefix  # type: ignore[attr-defined]
    return server


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--prefix", default=None, help="path of site_url (default: from site/sitemap.xml)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site (run `make build` first)", file=sys.stderr)
        return 2
    server = serve(args.site, args.port, args.prefix)
    print(f"serving {args.site} with gzip at http://127.0.0.1:{server.server_address[1]}{server.prefix}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
