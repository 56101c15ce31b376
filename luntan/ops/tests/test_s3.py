"""Uploads in S3 (django-storages) against a real SeaweedFS S3 gateway: attachments and
avatars are stored there and served back, backup/restore read and write the bucket, and
``luntan media_to_s3`` moves a disk's uploads with a count check."""

from __future__ import annotations

import io
import urllib.request
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import CommandError, call_command
from django.db import connection

from luntan.core.tests.seaweed import seaweed_s3
from luntan.ops.backup import create_backup, restore_backup
from luntan.ops.tests.test_backup import FILES, _empty_pg_database

pytestmark = pytest.mark.seaweedfs
BUCKET = "luntan"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    """One SeaweedFS (master, volume, filer, S3) for the module, with its bucket."""
    with seaweed_s3(tmp_path_factory.mktemp("weed"), BUCKET) as running:
        yield running


def _s3_options(gateway, prefix: str) -> dict:
    return {
        "bucket_name": BUCKET,
        "endpoint_url": gateway.endpoint,
        "access_key": "luntan",
        "secret_key": "luntan-secret",
        "region_name": "us-east-1",
        "location": prefix,
        "addressing_style": "path",
        "file_overwrite": False,
    }


@pytest.fixture
def s3_storage(settings, gateway):
    """The upload storage is S3 under a folder of its own for this test."""
    prefix = f"t-{uuid.uuid4().hex[:10]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": _s3_options(gateway, prefix),
        },
    }
    return prefix


def _keys(gateway, prefix: str) -> set[str]:
    listing = gateway.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix + "/")
    return {item["Key"][len(prefix) + 1 :] for item in listing.get("Contents", [])}


def test_the_settings_choose_s3_from_the_environment(tmp_path):
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.file_overwrite)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "luntan.settings",
        "LUNTAN_HOME": str(tmp_path),
        "SECRET_KEY": "x",
        "LUNTAN_S3_BUCKET": "forum",
        "LUNTAN_S3_ENDPOINT_URL": "http://127.0.0.1:8333",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["S3Storage", "forum", "http://127.0.0.1:8333", "False"]


@pytest.mark.django_db
def test_attachments_and_avatars_are_stored_in_s3_and_served(client, s3_storage, gateway):
    from luntan.accounts.avatars import avatar_url
    from luntan.attachments import services
    from luntan.attachments.tests.files import image_bytes, upload_file
    from luntan.members.avatars import upload_avatar
    from luntan.threads.tests.factories import make_thread, make_user

    author = make_user(group_id=11)
    thread = make_thread(author=author)
    attachment = services.upload(author, upload_file("照片.jpg", image_bytes(size=(300, 200))))
    services.bind(thread.post_set.get(), [attachment.pk], author)
    assert attachment.stored_name in _keys(gateway, s3_storage)

    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    stored = (
        gateway.client()
        .get_object(Bucket=BUCKET, Key=f"{s3_storage}/{attachment.stored_name}")["Body"]
        .read()
    )
    assert stored[:3] == b"\xff\xd8\xff"  # the image as uploaded (metadata stripped)
    assert b"".join(response.streaming_content) == stored

    upload_avatar(author, io.BytesIO(image_bytes("PNG", (240, 240))))
    author.refresh_from_db()
    url = avatar_url(author, "middle")
    assert url.startswith(gateway.endpoint + f"/{BUCKET}/{s3_storage}/")
    with urllib.request.urlopen(url, timeout=10) as got:  # noqa: S310 - our gateway
        assert got.read()[:3] == b"\xff\xd8\xff"  # avatars are stored as JPEG
    assert sum(1 for key in _keys(gateway, s3_storage) if key.startswith("avatar")) == 3


@pytest.mark.django_db(transaction=True)
def test_backup_reads_s3_and_restore_writes_it(tmp_path, gateway, django_user_model):
    source = storages.create_storage(
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options(gateway, "bk-a")}
    )
    target = storages.create_storage(
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": _s3_options(gateway, f"bk-{uuid.uuid4().hex[:8]}"),
        }
    )
    for name, data in FILES.items():
        if not source.exists(name):
            source.save(name, ContentFile(data))
    django_user_model.objects.create_user("张三", "z@example.com", "pw-123456")
    archive = tmp_path / "site.tar"
    manifest = create_backup(archive, connection.settings_dict, source)
    assert set(manifest["files"]) >= set(FILES)

    def restore(db):
        report = restore_backup(archive, db, target)
        assert report.ok, report.problems
        assert report.files == len(manifest["files"])

    if connection.vendor == "postgresql":
        with _empty_pg_database() as db:
            restore(db)
    else:
        restore({"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "r.sqlite3")})
    for name, data in FILES.items():
        with target.open(name) as f:
            assert f.read() == data


def test_media_to_s3_copies_every_local_file_and_checks_the_count(
    tmp_path, s3_storage, gateway, capsys
):
    local = FileSystemStorage(location=tmp_path / "media")
    for name, data in FILES.items():
        local.save(name, ContentFile(data))
    call_command("media_to_s3", source=str(tmp_path / "media"))
    out, err = capsys.readouterr()
    assert "3 files in" in out and "3 copied, 0 already there" in out
    assert "3/3" in err  # the progress bar
    assert _keys(gateway, s3_storage) == set(FILES)
    for name, data in FILES.items():
        with default_storage.open(name) as f:
            assert f.read() == data

    # Run again (e.g. after an interruption): nothing is copied twice.
    call_command("media_to_s3", source=str(tmp_path / "media"), delete_source=True)
    assert "0 copied, 3 already there" in capsys.readouterr().out
    assert not any((tmp_path / "media").rglob("*.*"))


def test_media_to_s3_refuses_while_uploads_are_still_on_the_same_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match="set LUNTAN_S3_BUCKET"):
        call_command("media_to_s3", source=str(tmp_path / "media"))
