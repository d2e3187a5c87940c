"""Uploads on an S3-compatible store: moto's server on a loopback port stands in for MinIO
or S3. Public images get plain bucket URLs; private files only signed, short-lived ones,
handed out after the same access check as on disk, with the safe headers forced."""

import io
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from accounts.services import profile_update
from marketplace.uploads import private_files
from messaging import services as messaging
from messaging.models import Attachment
from orders.models import Order
from orders.services import order_file_build_thumbnail
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.orders import flow

boto3 = pytest.importorskip("boto3")
pytest.importorskip("storages.backends.s3")
moto_server = pytest.importorskip("moto.server")

pytestmark = pytest.mark.django_db
BUCKET = "gigmarket"
ROOT = Path(__file__).resolve().parents[2]
PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
                   "Resource": [f"arn:aws:s3:::{BUCKET}/media/*"]}],
}  # fmt: skip
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    try:
        server.start()
    except Exception as error:  # no moto server here: nothing to test against
        pytest.skip(f"moto's S3 server did not start: {error}")
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    # What docker-compose's minio-setup does: anyone may read media/, nothing else.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA_POLICY))
    common = {
        "endpoint_url": s3_endpoint, "signature_version": "s3v4", "addressing_style": "path",
        "default_acl": None, "file_overwrite": False, "bucket_name": BUCKET, **KEYS,
    }  # fmt: skip
    settings.S3_SIGNED_URL_SECONDS = 45
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media", "querystring_auth": False},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "", "querystring_auth": True, "querystring_expire": 45},
        },
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _fetch(url: str):
    assert url.startswith("http://127.0.0.1:")
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - moto's server on the loopback


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _deliver(client, name: str, payload: bytes, content_type: str):
    gig = GigFactory()
    buyer = UserFactory()
    order = flow.in_progress(gig, buyer)
    client.force_login(gig.seller)
    upload = SimpleUploadedFile(name, payload, content_type)
    client.post(reverse("orders:action", args=[order.pk, "deliver"]), {"message": "Done", "files": [upload]})
    return order, buyer, Order.objects.get(pk=order.pk).files.get()


def test_an_avatar_lands_in_the_public_bucket_under_an_unsigned_url(s3, s3_endpoint):
    person = UserFactory()
    upload = SimpleUploadedFile("me.png", _png(), "image/png")
    profile = profile_update(user=person, data={}, avatar=upload)
    key = f"media/{profile.avatar.name}"
    assert key in _keys(s3)
    url = profile.avatar.url
    assert url == f"{s3_endpoint}/{BUCKET}/{key}"
    assert "X-Amz-Signature" not in url
    with _fetch(url) as answer:
        assert Image.open(io.BytesIO(answer.read())).format == "JPEG"  # re-encoded, as on disk


def test_a_delivery_is_private_and_a_party_is_redirected_to_a_signed_url(client, s3, s3_endpoint):
    order, buyer, item = _deliver(client, "page.html", b"<html><script>alert(1)</script></html>", "text/html")
    assert item.file.name.startswith("private/orders/")
    assert item.file.name in _keys(s3)
    assert not any(key.startswith("media/private") for key in _keys(s3))

    client.force_login(buyer)
    response = client.get(reverse("orders:file", args=[order.pk, item.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/{item.file.name}?")
    query = parse_qs(urlsplit(url).query)
    # moto checks neither the signature nor its expiry: the signature's terms are asserted.
    assert query["X-Amz-Expires"] == ["45"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert "X-Amz-Signature" in query
    assert "X-Amz-SignedHeaders" in query
    with _fetch(url) as answer:
        assert answer.read() == b"<html><script>alert(1)</script></html>"
        # The active type is forced to bytes and a download, as the disk answer does.
        assert answer.headers["Content-Type"] == "application/octet-stream"
        assert answer.headers["Content-Disposition"] == 'attachment; filename="page.html"'
        assert answer.headers["Cache-Control"] == "private, no-store"


def test_a_passive_file_keeps_its_type_on_the_signed_url(client, s3):
    order, buyer, item = _deliver(client, "report.pdf", b"%PDF-1.4 the report", "application/pdf")
    client.force_login(buyer)
    url = client.get(reverse("orders:file", args=[order.pk, item.pk]))["Location"]
    with _fetch(url) as answer:
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.headers["Content-Disposition"].startswith("attachment")


def test_a_third_person_gets_a_404_and_no_url(client, s3):
    order, _buyer, item = _deliver(client, "result.txt", b"secret", "text/plain")
    client.force_login(UserFactory())
    response = client.get(reverse("orders:file", args=[order.pk, item.pk]))
    assert response.status_code == 404
    assert "Location" not in response
    assert b"X-Amz" not in response.content


def test_a_message_attachment_is_in_the_bucket_and_only_its_reader_gets_a_signed_url(client, s3):
    buyer, seller = UserFactory(), SellerFactory()
    upload = SimpleUploadedFile("note.html", b"<script>alert(1)</script>", "text/html")
    message = messaging.message_send(sender=buyer, recipient=seller, body="see the file", files=[upload])
    attachment = Attachment.objects.get(message=message)
    assert attachment.file.name.startswith("private/messages/") and attachment.file.name in _keys(s3)
    client.force_login(UserFactory())
    assert client.get(reverse("messaging:attachment", args=[attachment.pk])).status_code == 404
    client.force_login(seller)
    response = client.get(reverse("messaging:attachment", args=[attachment.pk]))
    assert response.status_code == 302
    with _fetch(response["Location"]) as answer:
        assert answer.read() == b"<script>alert(1)</script>"
        assert answer.headers["Content-Type"] == "application/octet-stream"
        assert answer.headers["Content-Disposition"] == 'attachment; filename="note.html"'


def test_private_files_never_get_an_unsigned_url(client, s3):
    _order, _buyer, item = _deliver(client, "result.txt", b"secret", "text/plain")
    url = private_files.url(item.file.name)
    assert "X-Amz-Signature" in url and "X-Amz-Expires=45" in url
    # The public storage names it under media/, where no private file is ever written.
    assert not default_storage.exists(item.file.name)
    # And the bucket refuses the object to anyone without a signature.
    unsigned = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as error:
        _fetch(unsigned)
    assert error.value.code == 403


def test_a_delivered_image_gets_its_thumbnail_from_the_bucket(client, s3):
    order, buyer, item = _deliver(client, "shot.png", _png(), "image/png")
    order_file_build_thumbnail(file_id=item.pk)  # the worker's task, reading the file from the bucket
    item.refresh_from_db()
    assert item.thumbnail.name.startswith("private/orders/thumbs/")
    assert item.thumbnail.name in _keys(s3)
    client.force_login(buyer)
    response = client.get(reverse("orders:file_thumbnail", args=[order.pk, item.pk]))
    assert response.status_code == 302
    with _fetch(response["Location"]) as answer:
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert answer.headers["Content-Disposition"].startswith("inline")
        assert Image.open(io.BytesIO(answer.read())).size == (60, 40)


def test_the_copy_command_copies_local_files_once(settings, s3, capsys):
    from django.core.files.storage import FileSystemStorage

    from marketplace.uploads import PrivateFileSystemStorage
    from orders.models import OrderFile

    local_private = PrivateFileSystemStorage()
    local_public = FileSystemStorage(location=settings.MEDIA_ROOT)
    gig = GigFactory()
    order = flow.in_progress(gig, UserFactory())
    name = local_private.save("private/orders/old.txt", ContentFile(b"from the disk"))
    OrderFile.objects.create(order=order, uploaded_by=gig.seller, file=name, name="old.txt", size=13)
    local_public.save("avatars/stray.jpg", ContentFile(b"not in any row"))

    call_command("copy_files_to_object_storage", "--dry-run")
    assert "would copy 1, skipped 0" in capsys.readouterr().out
    assert _keys(s3) == []

    call_command("copy_files_to_object_storage")
    assert "copied 1, skipped 0" in capsys.readouterr().out
    assert _keys(s3) == ["private/orders/old.txt"]
    assert private_files.open(name).read() == b"from the disk"
    assert local_private.exists(name)  # never deleted

    call_command("copy_files_to_object_storage", "--all-files")
    assert "copied 1, skipped 1" in capsys.readouterr().out
    assert _keys(s3) == ["media/avatars/stray.jpg", "private/orders/old.txt"]


def test_the_copy_command_refuses_without_object_storage():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("copy_files_to_object_storage")


def _settings_with(env: dict) -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'storages': s.STORAGES, 'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    names = ("AWS_STORAGE_BUCKET_NAME", "S3_ENDPOINT_URL", "AWS_PRIVATE_BUCKET_NAME", "S3_SIGNED_URL_SECONDS")
    base = {k: v for k, v in os.environ.items() if k not in names}
    base |= {"DJANGO_SETTINGS_MODULE": "marketplace.settings", "TESTING": "1"}
    done = subprocess.run(  # noqa: S603 - this interpreter, our own settings
        [sys.executable, "-c", script], env=base | env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_environment_picks_the_storages():
    assert _settings_with({})["storages"]["private"]["BACKEND"] == "marketplace.uploads.PrivateFileSystemStorage"
    configured = _settings_with({
        "AWS_STORAGE_BUCKET_NAME": "pub", "AWS_PRIVATE_BUCKET_NAME": "secret",
        "S3_ENDPOINT_URL": "http://minio:9000", "S3_SIGNED_URL_SECONDS": "30",
    })  # fmt: skip
    public, private = configured["storages"]["default"]["OPTIONS"], configured["storages"]["private"]["OPTIONS"]
    assert (public["bucket_name"], public["location"], public["querystring_auth"]) == ("pub", "media", False)
    assert (private["bucket_name"], private["querystring_auth"], private["querystring_expire"]) == ("secret", True, 30)
    assert "custom_domain" not in private  # a custom domain would drop the signature
    assert "http://minio:9000" in configured["img"]
