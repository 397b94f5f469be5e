"""WeasyPrint's only way out of the document: our own static files, and nothing else.

Documents are rendered with :data:`DOCUMENT_BASE_URL` as their base, so ``/static/css/print.css`` in a
template resolves to ``https://static.mediation.invalid/static/css/print.css``.  The ``.invalid`` top-level
domain never resolves (RFC 2606) and the fetcher never touches the network or any file outside the static
folder: ``file://``, other hosts, ``data:`` and path traversal are all refused.  Case data never becomes
a URL (templates are autoescaped and build no links from user text); this is the second line of defence.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_HOST = "static.mediation.invalid"
DOCUMENT_BASE_URL = f"https://{STATIC_HOST}/"
STATIC_PREFIX = "/static/"
FONTS_PREFIX = "/fonts/"  # the compact CJK faces (mediation.documents.fonts), by name only


class RefusedURL(ValueError):
    """A URL the documents may not load."""


def static_file_for(url: str, static_folder: str | Path) -> Path:
    """The file under ``static_folder`` that ``url`` names, or :class:`RefusedURL`.

    Accepts ``/static/...`` and ``https://static.mediation.invalid/static/...``.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() != "https" or parts.netloc.lower() != STATIC_HOST:
            raise RefusedURL(f"only our static files may be loaded, not {url!r}")
    path = unquote(parts.path)
    if not path.startswith(STATIC_PREFIX):
        raise RefusedURL(f"not a static file: {url!r}")
    relative = path[len(STATIC_PREFIX):]
    segments = relative.split("/")
    if "\\" in relative or "\x00" in relative or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"not a plain static path: {url!r}")
    root = Path(static_folder).resolve()
    target = (root / relative).resolve()
    # resolve() follows symlinks, so a link pointing out of the folder is refused here too.
    if not target.is_relative_to(root) or not target.is_file():
        raise RefusedURL(f"no such static file: {url!r}")
    return target


def font_file_for(url: str, fonts: Mapping[str, Path]) -> Path | None:
    """The compact font ``url`` names (``https://static.mediation.invalid/fonts/<name>``), if it is one."""
    parts = urlsplit(url)
    if (parts.scheme.lower(), parts.netloc.lower()) != ("https", STATIC_HOST) or parts.query:
        return None
    if not parts.path.startswith(FONTS_PREFIX):
        return None
    return fonts.get(parts.path[len(FONTS_PREFIX):])


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher serving only files under the app's static folder, and the compact fonts
    it is given (``fonts``: name → file)."""

    def __init__(self, static_folder: str | Path, fonts: Mapping[str, Path] | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.static_folder = Path(static_folder)
        self.fonts = dict(fonts or {})

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = font_file_for(url, self.fonts) or static_file_for(url, self.static_folder)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
