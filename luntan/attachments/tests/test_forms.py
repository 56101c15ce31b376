"""The attachment fields of the posting forms: the form stores files, writes no row;
the posting pipeline records and binds them; a form shown again keeps them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.datastructures import MultiValueDict

from luntan.attachments import services
from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import PHP_BYTES, image_bytes, upload_file
from luntan.threads import posting
from luntan.threads.forms import ReplyForm
from luntan.threads.posting import PostingLimits, PostInput, PostRequest, Trust
from luntan.threads.tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db

TEXT = "这是一条足够长的帖子内容，超过十个字。"


def _files(*files):
    return MultiValueDict({"attach_files": list(files)})


def _reply(form, thread, user, token=""):
    return posting.submit(
        PostRequest(
            author=user,
            body=PostInput(form.cleaned_data["body"]),
            trust=Trust.MEMBER,
            limits=PostingLimits(),
            thread=thread,
            token=token,
            **form.request_fields(),
        )
    )


def test_chosen_files_are_stored_by_the_form_and_recorded_by_the_pipeline():
    user = make_user(group_id=11)
    thread = make_thread(author=user)
    form = ReplyForm(
        {"body": TEXT, "format": "bbcode"},
        _files(upload_file("图.png", image_bytes("PNG")), upload_file("说明.txt", b"hi")),
        user=user,
    )
    assert form.is_valid(), form.errors
    assert not Attachment.objects.exists()  # cleaning wrote no row
    stored = form.cleaned_data["staged"]
    assert len(stored) == 2 and all(default_storage.exists(s.stored_name) for s in stored)
    post = _reply(form, thread, user).post
    assert set(post.attachments.values_list("filename", flat=True)) == {"图.png", "说明.txt"}


def test_a_preview_stores_nothing():
    user = make_user(group_id=11)
    form = ReplyForm(
        {"body": TEXT, "format": "bbcode", "preview": "1"},
        _files(upload_file("a.txt", b"hi")),
        user=user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["staged"] == [] and not Attachment.objects.exists()


def test_a_form_shown_again_keeps_its_files():
    user = make_user(group_id=11)
    thread = make_thread(author=user)
    form = ReplyForm(
        {"body": "", "format": "bbcode"}, _files(upload_file("a.txt", b"hi")), user=user
    )
    assert not form.is_valid() and "body" in form.errors
    assert not Attachment.objects.exists()
    kept = form["staged"].value()
    assert kept
    again = ReplyForm({"body": TEXT, "format": "bbcode", "staged": kept}, user=user)
    assert again.is_valid(), again.errors
    post = _reply(again, thread, user).post
    assert list(post.attachments.values_list("filename", flat=True)) == ["a.txt"]


def test_a_staged_file_of_someone_else_or_tampered_is_refused():
    user, other = make_user(group_id=11), make_user(group_id=11)
    theirs = ReplyForm(
        {"body": "", "format": "bbcode"}, _files(upload_file("a.txt", b"hi")), user=other
    )
    theirs.is_valid()
    kept = theirs["staged"].value()
    assert not ReplyForm({"body": TEXT, "format": "bbcode", "staged": kept}, user=user).is_valid()
    assert not ReplyForm(
        {"body": TEXT, "format": "bbcode", "staged": kept[:-2] + "xx"}, user=other
    ).is_valid()


def test_refused_files_are_errors_naming_the_file():
    user = make_user(group_id=11)
    form = ReplyForm(
        {"body": TEXT, "format": "bbcode"}, _files(upload_file("shell.jpg", PHP_BYTES)), user=user
    )
    assert not form.is_valid()
    assert form.errors["attach_files"] == ["shell.jpg: 文件内容与扩展名不符 (.jpg)"]


def test_malformed_or_foreign_ids_are_refused_and_the_post_rolled_back():
    user, other = make_user(group_id=11), make_user(group_id=11)
    thread = make_thread(author=user)
    assert not ReplyForm(
        {"body": TEXT, "format": "bbcode", "attachments": "1;DROP"}, user=user
    ).is_valid()
    theirs = services.upload(other, upload_file("a.txt", b"hi"))
    form = ReplyForm({"body": TEXT, "format": "bbcode", "attachments": str(theirs.pk)}, user=user)
    assert form.is_valid()
    with pytest.raises(ValidationError):
        _reply(form, thread, user)
    assert thread.post_set.count() == 1


def test_file_input_accepts_only_allowed_extensions():
    html = str(ReplyForm(user=None)["attach_files"])
    assert 'type="file"' in html and "multiple" in html and ".jpg" in html and ".svg" not in html


def test_a_double_submit_binds_its_files_once():
    user = make_user(group_id=11)
    thread = make_thread(author=user)
    for _ in range(2):  # the same form sent twice; the pipeline returns the same post
        form = ReplyForm(
            {"body": TEXT, "format": "bbcode"},
            _files(upload_file("图.png", image_bytes("PNG"))),
            user=user,
        )
        assert form.is_valid()
        post = _reply(form, thread, user, token="same-token").post
    assert post.attachments.count() == 1
    assert Attachment.objects.count() == 1
