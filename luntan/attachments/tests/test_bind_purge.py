"""bind() and purging orphan uploads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from luntan.attachments import services
from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import image_bytes, upload_file
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _upload(user, name="a.txt", content=b"hello", **kw):
    return services.upload(user, upload_file(name, content), **kw)


def test_bind_attaches_own_unbound_uploads_to_the_post_and_thread():
    author = make_user(group_id=11)
    thread = make_thread(author=author)
    post = thread.post_set.get(floor=1)
    a, b = _upload(author), _upload(author, "b.jpg", image_bytes())
    bound = services.bind(post, [b.pk, a.pk, a.pk], author)
    assert [x.pk for x in bound] == [a.pk, b.pk]
    for x in (a, b):
        x.refresh_from_db()
        assert x.post == post and x.thread == thread
    # binding again to the same post is harmless
    services.bind(post, [a.pk], author)


def test_binding_someone_elses_attachment_is_refused():
    owner, thief = make_user(group_id=11), make_user(group_id=11)
    thread = make_thread(author=thief)
    a = _upload(owner)
    with pytest.raises(ValidationError) as info:
        services.bind(thread.post_set.get(), [a.pk], thief)
    assert info.value.code == "foreign"
    a.refresh_from_db()
    assert a.post is None


def test_an_attachment_bound_to_one_post_cannot_move_to_another():
    author = make_user(group_id=11)
    thread = make_thread(author=author)
    first = thread.post_set.get()
    second = make_reply(thread, author)
    a = _upload(author)
    services.bind(first, [a.pk], author)
    with pytest.raises(ValidationError) as info:
        services.bind(second, [a.pk], author)
    assert info.value.code == "foreign"


def test_binding_is_all_or_nothing():
    author, other = make_user(group_id=11), make_user(group_id=11)
    post = make_thread(author=author).post_set.get()
    mine, theirs = _upload(author), _upload(other)
    with pytest.raises(ValidationError):
        services.bind(post, [mine.pk, theirs.pk], author)
    with pytest.raises(ValidationError) as info:
        services.bind(post, [mine.pk, 999999], author)
    assert info.value.code == "missing"
    assert not Attachment.objects.filter(post__isnull=False).exists()


def test_purge_removes_old_unbound_uploads_and_their_files():
    user = make_user(group_id=11)
    post = make_thread(author=user).post_set.get()
    old = timezone.now() - timedelta(days=2)
    stale = _upload(user, "old.jpg", image_bytes(size=(800, 600)), now=old)
    kept_bound = _upload(user, now=old)
    services.bind(post, [kept_bound.pk], user)
    fresh = _upload(user)
    assert default_storage.exists(stale.stored_name) and default_storage.exists(
        stale.thumbnail_name
    )
    assert services.purge_orphans(86400) == 1
    assert not Attachment.objects.filter(pk=stale.pk).exists()
    assert not default_storage.exists(stale.stored_name)
    assert not default_storage.exists(stale.thumbnail_name)
    assert set(Attachment.objects.values_list("pk", flat=True)) == {kept_bound.pk, fresh.pk}
    assert default_storage.exists(kept_bound.stored_name)


def test_purge_command(capsys):
    user = make_user(group_id=11)
    _upload(user, now=timezone.now() - timedelta(seconds=120))
    call_command("purge_orphan_attachments", "--older-than", "3600")
    assert Attachment.objects.count() == 1
    call_command("purge_orphan_attachments", "--older-than", "60")
    assert Attachment.objects.count() == 0
    assert "purged 1" in capsys.readouterr().out


def test_delete_removes_row_and_files(django_capture_on_commit_callbacks):
    a = _upload(make_user(group_id=11), "p.png", image_bytes("PNG", (500, 400)))
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(a)
    assert not Attachment.objects.exists()
    assert not default_storage.exists(a.stored_name) and not default_storage.exists(
        a.thumbnail_name
    )


def test_purge_removes_files_a_form_stored_that_no_post_recorded():
    """A posting form stores files without a row; abandoned ones must not fill the disk."""
    user = make_user(group_id=11)
    old = timezone.now() - timedelta(days=3)
    abandoned = services.store(user, upload_file("弃.jpg", image_bytes(size=(800, 600))), now=old)
    recorded = _upload(user, "留.txt", now=old)
    fresh = services.store(user, upload_file("新.txt", b"new"))
    assert all(default_storage.exists(n) for n in abandoned.files())
    assert len(abandoned.files()) == 2
    assert services.purge_unrecorded() >= 2  # (files other tests left behind count too)
    assert not any(default_storage.exists(n) for n in abandoned.files())
    assert default_storage.exists(recorded.stored_name)
    assert default_storage.exists(fresh.stored_name)  # its form reference is still valid
