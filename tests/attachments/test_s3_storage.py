"""The S3-compatible store, against moto's fake S3 server on a loopback port (no AWS, no network)."""
from __future__ import annotations

import io

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mediation.attachments.storage import MissingFile, S3Storage, current_storage, new_key, preview_key
from tests.attachments import samples
from tests.attachments.helpers import attachments_of, file_url, stored_files, upload
from tests.factories import make_case

BUCKET = "tiaojie-attachments"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def fake_s3():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_client(fake_s3):
    return boto3.client("s3", endpoint_url=fake_s3, **CREDENTIALS)


def test_put_open_exists_and_delete(s3_client):
    store = S3Storage(BUCKET, prefix="test-store/", client=s3_client)
    key = new_key()
    content = samples.pdf()
    assert not store.exists(key)
    with pytest.raises(MissingFile):
        store.open(key)
    store.put(key, io.BytesIO(content), content_type="application/pdf")
    assert store.exists(key)
    with store.open(key) as kept:
        assert kept.read() == content
    head = s3_client.head_object(Bucket=BUCKET, Key=f"test-store/{key}")
    assert head["ContentType"] == "application/pdf" and head["ContentLength"] == len(content)
    store.delete(preview_key(key))  # nothing there: nothing happens
    store.delete(key)
    assert not store.exists(key)


def test_keys_are_only_the_app_s_own(s3_client):
    store = S3Storage(BUCKET, client=s3_client)
    for bad in ("../secret", "合同.pdf", "", "A" * 32):
        with pytest.raises(ValueError):
            store.open(bad)


def test_the_app_configured_for_s3_stores_and_serves_attachments_there(app, client, login, users, fake_s3,
                                                                       s3_client):
    app.config.update(ATTACHMENT_STORAGE="s3", ATTACHMENT_S3_BUCKET=BUCKET, ATTACHMENT_S3_PREFIX="office-a/",
                      ATTACHMENT_S3_ENDPOINT_URL=fake_s3, ATTACHMENT_S3_REGION="us-east-1",
                      ATTACHMENT_S3_ACCESS_KEY_ID="testing", ATTACHMENT_S3_SECRET_ACCESS_KEY="testing")
    app.extensions.pop("attachment_storage", None)
    assert isinstance(current_storage(), S3Storage)
    case = make_case(users["mediator"])
    content = samples.jpeg()
    login("mediator")
    assert upload(client, case, content, "欠薪现场照片.jpg", kind="other").status_code == 302
    [attachment] = attachments_of(case)
    stored = s3_client.get_object(Bucket=BUCKET, Key=f"office-a/{attachment.storage_key}")
    assert stored["Body"].read() == content and stored["ContentType"] == "image/jpeg"
    assert stored_files(app) == []  # nothing in the local folder

    served = client.get(file_url(case, attachment))
    assert served.status_code == 200 and served.data == content and served.mimetype == "image/jpeg"
    preview = client.get(f"/cases/{case.case_no}/attachments/{attachment.id}/preview.png")
    assert preview.status_code == 200 and preview.mimetype == "image/png"
    assert current_storage().exists(preview_key(attachment.storage_key))
