"""Uploaded ledgers kept between the check and the confirmation, under names the app makes up.

The user's file name is never used for the stored file (``secure_filename`` strips a Chinese name to
nothing, and a name is no business of the file system's); only its .csv/.xlsx ending is kept.  Each
upload is tied to the session that made it, and files left unconfirmed are removed after a day.
"""
from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app, session
from werkzeug.datastructures import FileStorage

TOKEN_PATTERN = r"^[0-9a-f]{32}\.(csv|xlsx)$"
SESSION_KEY = "ledger_upload"
KEEP_SECONDS = 24 * 3600


def folder() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload: FileStorage, file_type: str) -> str:
    """Save the upload under a new random name; returns that name (the token for the confirmation)."""
    _remove_stale()
    token = f"{secrets.token_hex(16)}{file_type}"
    upload.save(folder() / token)
    session[SESSION_KEY] = token
    return token


def path_for(token: str) -> Path | None:
    """The stored file for ``token`` when this session uploaded it and it is still there."""
    if not re.match(TOKEN_PATTERN, token or "") or session.get(SESSION_KEY) != token:
        return None
    path = folder() / token
    return path if path.is_file() else None


def discard(token: str) -> None:
    if re.match(TOKEN_PATTERN, token or ""):
        (folder() / token).unlink(missing_ok=True)
    if session.get(SESSION_KEY) == token:
        session.pop(SESSION_KEY, None)


def _remove_stale() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder().glob("*"):
        if re.match(TOKEN_PATTERN, path.name) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
