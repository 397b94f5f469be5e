"""Configuration: defaults in code, secrets in ``instance/``, overrides from the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class DefaultConfig:
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
    # The office's local time zone: stored timestamps are UTC, shown and dated in this zone.
    OFFICE_TIMEZONE = "Asia/Shanghai"
    OFFICE_NAME = "区总工会劳动争议调解中心"
    OFFICE_NAME_EN = "District Federation of Trade Unions — Labour Dispute Mediation Centre"
    CASE_NUMBER_FORMAT = "{year}-{seq:05d}"
    QUEUE_PAGE_SIZE = 50
    # The statutory periods are the law's, not settings: mediation/clocks/rules.py.
    # Green-channel internal targets (DOMAIN.md 'The green channel'): defaults; an admin changes them.
    GREEN_ACCEPT_WITHIN_WORKING_DAYS = 1
    GREEN_FIRST_SESSION_DAYS = 3
    GREEN_CLOSE_DAYS = 15
    # Local monthly minimum wage in fen, for Art. 47 (final award) flags, until an admin enters one.
    MONTHLY_MINIMUM_WAGE_FEN = 2_690_00
    # argon2 parameters for password hashes; None: argon2-cffi's defaults (about 180 ms a hash here).
    PASSWORD_HASH_PARAMS: dict | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    # Where the compact CJK faces for documents are kept (mediation/documents/fonts.py); None: instance/fonts.
    DOCUMENT_FONT_DIR: str | None = None
    # The address people reach the app at (e.g. "https://tiaojie.example.gov.cn"), for the links in e-mails,
    # which are sent from the command line, outside any request; None: e-mails name cases without links.
    PUBLIC_URL: str | None = None
    # E-mail for the daily digest (mediation/reminders/mail.py): none is sent while MAIL_SERVER is None.
    # MAIL_USE_TLS: STARTTLS on a plain connection (port 587); MAIL_USE_SSL: TLS from the start (port 465).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = ""
    MAIL_TIMEOUT = 30  # seconds to wait for the mail server
    # Attachments (mediation/attachments/storage.py): the largest file accepted, and where files are kept:
    # ATTACHMENT_STORAGE "local" (the folder ATTACHMENT_FOLDER, default instance/attachments) or "s3" (an
    # S3-compatible object store shared by several servers, through boto3: bucket, key prefix, endpoint for
    # a store other than AWS, region and credentials; without these, boto3's usual sources).
    ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    ATTACHMENT_STORAGE = "local"
    ATTACHMENT_FOLDER: str | None = None
    ATTACHMENT_S3_BUCKET: str | None = None
    ATTACHMENT_S3_PREFIX = "attachments/"
    ATTACHMENT_S3_ENDPOINT_URL: str | None = None
    ATTACHMENT_S3_REGION: str | None = None
    ATTACHMENT_S3_ACCESS_KEY_ID: str | None = None
    ATTACHMENT_S3_SECRET_ACCESS_KEY: str | None = None


# Settings that may also come from the environment (a secret kept out of instance/config.py, a container):
# the environment wins over instance/config.py.  Numbers and yes/no values are converted.
ENVIRONMENT_KEYS = ("PUBLIC_URL", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME",
                    "MAIL_PASSWORD", "MAIL_FROM", "MAIL_TIMEOUT",
                    "ATTACHMENT_MAX_BYTES", "ATTACHMENT_STORAGE", "ATTACHMENT_FOLDER", "ATTACHMENT_S3_BUCKET",
                    "ATTACHMENT_S3_PREFIX", "ATTACHMENT_S3_ENDPOINT_URL", "ATTACHMENT_S3_REGION",
                    "ATTACHMENT_S3_ACCESS_KEY_ID", "ATTACHMENT_S3_SECRET_ACCESS_KEY")


def from_environment(config: dict) -> None:
    """Override ``config`` with the :data:`ENVIRONMENT_KEYS` set in the environment (``MEDIATION_MAIL_SERVER``
    …), each converted to the type of the value it replaces."""
    for key in ENVIRONMENT_KEYS:
        raw = os.environ.get(f"MEDIATION_{key}")
        if raw is None:
            continue
        default = getattr(DefaultConfig, key)
        if isinstance(default, bool):
            config[key] = raw.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            config[key] = int(raw)
        else:
            config[key] = raw or None


def load_secret_key(instance_path: str) -> str:
    """Return the key from the environment or ``instance/secret_key``, creating the file once."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 and exclusively, so two first starts cannot leave two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver 'postgres'; SQLAlchemy wants psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return "sqlite:///" + str(Path(instance_path) / "mediation.sqlite3")
