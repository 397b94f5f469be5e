"""The URL fetcher: the documents may load our static files and nothing else."""
import os

import pytest

from mediation.documents.fetcher import DOCUMENT_BASE_URL, RefusedURL, StaticFilesFetcher, static_file_for


@pytest.fixture
def fetcher(app):
    return StaticFilesFetcher(app.static_folder)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/x",
    "https://example.com/static/css/print.css",
    "http://static.mediation.invalid/static/css/print.css",  # our host, but not over our scheme
    "/static/../secret_key",
    "/static/%2e%2e/%2e%2e/instance/secret_key",
    "/static/css/../../mediation/config.py",
    "/static/",
    "/etc/passwd",
    "data:text/css,body{}",
    "ftp://static.mediation.invalid/static/css/print.css",
    "/static/css/missing.css",
])
def test_the_fetcher_refuses_anything_but_our_static_files(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_the_fetcher_serves_the_print_stylesheet(fetcher, app):
    for url in ("/static/css/print.css", DOCUMENT_BASE_URL + "static/css/print.css"):
        response = fetcher.fetch(url)
        assert response.content_type == "text/css"
        assert b"@page" in response.read()


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, static / "innocent.css")
    (static / "real.css").write_text("p{}")
    assert static_file_for("/static/real.css", static) == (static / "real.css").resolve()
    with pytest.raises(RefusedURL):
        static_file_for("/static/innocent.css", static)


def _image_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def test_a_document_loads_images_from_the_static_folder_only(tmp_path):
    from PIL import Image

    from mediation.documents.printer import Printer

    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "print.css").write_text("@page { size: A4 }")
    Image.new("RGB", (4, 4), "red").save(static / "seal.png")
    outside = tmp_path / "private.png"
    Image.new("RGB", (4, 4), "blue").save(outside)
    printer = Printer(static)
    assert _image_count(printer.pdf('<p>x</p><img src="/static/seal.png">')) == 1
    for src in (outside.as_uri(), "/static/../private.png", "http://example.com/x.png"):
        assert _image_count(printer.pdf(f'<p>x</p><img src="{src}">')) == 0, src
