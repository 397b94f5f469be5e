"""Fixtures for the sessions' tests: a clock that can be moved on, so that a session scheduled for later can
be recorded once its time has come."""
from __future__ import annotations

import datetime as dt
import sys

import pytest

from mediation.core import timeutil

_REAL_UTCNOW = timeutil.utcnow


class Clock:
    """The app's "now" (``utcnow`` wherever it is imported, and so ``local_today``), moved on by a test."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.current = _REAL_UTCNOW

    def travel_to(self, moment: dt.datetime) -> None:
        offset = moment - _REAL_UTCNOW()

        def utcnow() -> dt.datetime:
            return _REAL_UTCNOW() + offset

        for name, module in list(sys.modules.items()):
            if (name == "mediation" or name.startswith("mediation.")) \
                    and getattr(module, "utcnow", None) in (_REAL_UTCNOW, self.current):
                self.monkeypatch.setattr(module, "utcnow", utcnow)
        self.current = utcnow


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
