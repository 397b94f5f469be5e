"""The office's settings on the web (an administrator's page).  To be written."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("settings_admin", __name__, url_prefix="/admin/settings")
