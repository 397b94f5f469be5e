"""WeasyPrint's half of printing: HTML in, PDF bytes out, no app and no database needed.

A :class:`Printer` holds what is costly to prepare and safe to reuse from one document to the next: the
parsed print stylesheet and the font configuration (a fresh one costs about a third of a document's time,
loading the fonts).  It is never shared between threads (Pango and fontconfig objects are not meant for
that): each thread keeps its own (:func:`thread_printer`), and a batch uses one throughout.

Large batches are printed by a small pool of worker processes, one per core: laying out and embedding
CJK fonts is CPU-bound Python, so threads would not help.  The workers are spawned (not forked: the parent
may hold database connections and threads) and import only this module and WeasyPrint.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from mediation.documents.fetcher import DOCUMENT_BASE_URL, StaticFilesFetcher
from mediation.documents.fonts import compact_fonts

PRINT_CSS = "css/print.css"  # under the static folder
# Below this many documents, starting worker processes (about a second each, importing WeasyPrint and
# loading the fonts) costs more than it saves.
POOL_THRESHOLD = 8


class Printer:
    """``font_dir``: where the compact CJK faces are kept (:mod:`mediation.documents.fonts`); without it,
    documents use the system fonts directly."""

    def __init__(self, static_folder: str | Path, font_dir: str | Path | None = None):
        self.fetcher = StaticFilesFetcher(static_folder, compact_fonts(font_dir) if font_dir else {})
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(url=f"{DOCUMENT_BASE_URL}static/{PRINT_CSS}", url_fetcher=self.fetcher,
                              font_config=self.font_config)

    def pdf(self, html: str) -> bytes:
        document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=self.fetcher)
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)


_local = threading.local()


def thread_printer(static_folder: str | Path, font_dir: str | Path | None = None) -> Printer:
    """This thread's printer, made again when the print stylesheet has changed on disk."""
    key = (str(static_folder), str(font_dir), (Path(static_folder) / PRINT_CSS).stat().st_mtime_ns)
    if getattr(_local, "key", None) != key:
        _local.printer, _local.key = Printer(static_folder, font_dir), key
    return _local.printer


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# The printer of a worker process, made once by the pool's initializer.
_worker_printer: Printer | None = None


def _start_worker(static_folder: str, font_dir: str | None) -> None:
    global _worker_printer
    _worker_printer = Printer(static_folder, font_dir)


def _print_in_worker(html: str) -> bytes:
    assert _worker_printer is not None, "worker not initialised"
    return _worker_printer.pdf(html)


def print_many(htmls: Iterable[str], static_folder: str | Path, *, count: int,
               processes: int | None = None, font_dir: str | Path | None = None) -> Iterator[bytes]:
    """PDFs for ``htmls`` in the same order; in worker processes when the batch is large enough
    (``processes``: how many; by default one per core from :data:`POOL_THRESHOLD` documents on).

    ``htmls`` is consumed lazily, so the caller can build each page while earlier ones print.
    """
    if processes is None:
        processes = available_cores() if count >= POOL_THRESHOLD else 1
    processes = min(processes, count)
    if processes <= 1:
        printer = thread_printer(static_folder, font_dir)
        for html in htmls:
            yield printer.pdf(html)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start_worker,
                             initargs=(str(static_folder), font_dir and str(font_dir))) as pool:
        pending: list[Future] = []
        for html in htmls:
            pending.append(pool.submit(_print_in_worker, html))
        for future in pending:
            yield future.result()
