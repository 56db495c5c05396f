"""Documents in an S3-compatible bucket (production's STORAGE_BACKEND=s3), through the same checked views.

CI starts moto's server and sets S3_TEST_ENDPOINT_URL; locally, moto's ThreadedMotoServer is started on a free
loopback port. With CI=true and no endpoint the test fails instead of skipping.
"""

import os
import socket
import uuid

import boto3
import pytest
from django.urls import reverse

from conftest import IN_CI, require_in_ci
from documents.models import Document

from .factories import pdf_bytes, upload

PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    endpoint = os.environ.get("S3_TEST_ENDPOINT_URL", "")
    if endpoint:
        yield endpoint
        return
    if IN_CI:
        require_in_ci("S3_TEST_ENDPOINT_URL is not set: no S3-compatible server for the S3 storage path")
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        require_in_ci("moto[server] is not installed")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    name = f"toplum-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client, name
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def test_a_document_goes_to_the_bucket_privately_and_comes_back_through_the_view(client, world, bucket):
    s3, name = bucket
    person = world.people["ANK"]
    content = pdf_bytes()
    client.force_login(world.user("ANK", "reception"))
    url = reverse("documents:upload", kwargs={"center": "ANK", "pk": person.pk})
    token = client.get(url).context["form"]["token"].value()

    assert (
        client.post(
            url, {"token": token, "kind": "consent", "file": upload("consent.pdf", content)}
        ).status_code
        == 302
    )

    document = Document.objects.get()
    stored = s3.get_object(Bucket=name, Key=document.file.name)
    assert stored["Body"].read() == content
    grants = s3.get_object_acl(Bucket=name, Key=document.file.name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GROUPS], grants
    download = client.get(reverse("documents:download", kwargs={"center": "ANK", "pk": document.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    # Nowhere on the profile is the bucket's own address given out.
    profile = client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk}))
    assert name.encode() not in profile.content and b"X-Amz" not in profile.content
