"""Where attachments' bytes are kept: one small interface, a local folder by default, or an S3-compatible
object store when several servers share the files.

Files are kept under names the app makes up (:func:`new_key`), never the user's (``secure_filename``
strips a Chinese name to nothing, and a name is no business of the store's); the database keeps the
original name for display and download.  A file is put before the record that refers to it is committed,
so no record ever points at a missing file; an upload whose request is then rolled back is removed again
(:mod:`mediation.attachments.services`), and one a crash leaves between the two is an unreferenced file
no page shows.

Configuration (``instance/config.py`` or ``MEDIATION_…`` in the environment):

- ``ATTACHMENT_STORAGE``: ``local`` (default) or ``s3``;
- ``ATTACHMENT_FOLDER``: the local folder, default ``instance/attachments``;
- ``ATTACHMENT_S3_BUCKET``, ``ATTACHMENT_S3_PREFIX``, ``ATTACHMENT_S3_ENDPOINT_URL`` (for a store other than
  AWS: MinIO, Ceph, a cloud's S3-compatible service), ``ATTACHMENT_S3_REGION``, and the credentials
  ``ATTACHMENT_S3_ACCESS_KEY_ID``/``ATTACHMENT_S3_SECRET_ACCESS_KEY`` (else boto3's usual sources).
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}(\.preview\.png)?$")


class MissingFile(LookupError):
    """The store has no file under this key."""


class Storage(Protocol):
    def put(self, key: str, data: BinaryIO, *, content_type: str) -> None:
        """Keep ``data`` (read from its current position to the end) under ``key``, replacing nothing."""

    def open(self, key: str) -> BinaryIO:
        """The file kept under ``key``, open for reading; :class:`MissingFile` when there is none."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove a file no record refers to (an upload rolled back, a preview); nothing if there is none."""


def new_key() -> str:
    return secrets.token_hex(16)


def preview_key(key: str) -> str:
    return f"{key}.preview.png"


def _checked(key: str) -> str:
    if not KEY_PATTERN.match(key or ""):
        raise ValueError(f"not an attachment key: {key!r}")
    return key


class LocalStorage:
    """Files in a folder on this server, spread over 256 subfolders by the key's first two characters."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def put(self, key: str, data: BinaryIO, *, content_type: str) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside its place and moved there whole: a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(data, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except FileNotFoundError:
            raise MissingFile(key) from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in a bucket of an S3-compatible store, through boto3, named ``prefix + key``."""

    def __init__(self, bucket: str, *, prefix: str = "", client=None, endpoint_url: str | None = None,
                 region: str | None = None, access_key_id: str | None = None,
                 secret_access_key: str | None = None):
        if client is None:
            import boto3  # only an app configured for S3 needs it

            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                                  aws_access_key_id=access_key_id or None,
                                  aws_secret_access_key=secret_access_key or None)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix or ""

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, data: BinaryIO, *, content_type: str) -> None:
        self.client.upload_fileobj(data, self.bucket, self._name(key), ExtraArgs={"ContentType": content_type})

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise MissingFile(key) from None
            raise

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


def storage_from_config(app: Flask) -> Storage:
    config = app.config
    kind = (config.get("ATTACHMENT_STORAGE") or "local").lower()
    if kind == "local":
        return LocalStorage(config.get("ATTACHMENT_FOLDER") or Path(app.instance_path) / "attachments")
    if kind == "s3":
        if not config.get("ATTACHMENT_S3_BUCKET"):
            raise RuntimeError("ATTACHMENT_STORAGE is 's3' but ATTACHMENT_S3_BUCKET is not set")
        return S3Storage(
            config["ATTACHMENT_S3_BUCKET"], prefix=config.get("ATTACHMENT_S3_PREFIX") or "",
            endpoint_url=config.get("ATTACHMENT_S3_ENDPOINT_URL"), region=config.get("ATTACHMENT_S3_REGION"),
            access_key_id=config.get("ATTACHMENT_S3_ACCESS_KEY_ID"),
            secret_access_key=config.get("ATTACHMENT_S3_SECRET_ACCESS_KEY"))
    raise RuntimeError(f"ATTACHMENT_STORAGE must be 'local' or 's3', not {kind!r}")


def current_storage() -> Storage:
    """The app's store, made from its configuration on first use."""
    extensions = current_app.extensions
    if "attachment_storage" not in extensions:
        extensions["attachment_storage"] = storage_from_config(current_app)
    return extensions["attachment_storage"]
