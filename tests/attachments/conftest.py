"""The browser tests' fixtures (a live server, Debian's chromium), for test_browser.py here."""
from tests.browser.conftest import browser, live_server, page  # noqa: F401
