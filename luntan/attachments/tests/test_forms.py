"""AttachmentFormMixin: files chosen in a posting form, kept across a failed submission."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from luntan.attachments import services
from luntan.attachments.forms import AttachmentFormMixin
from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import PHP_BYTES, image_bytes, upload_file
from luntan.threads.tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db


class DemoForm(AttachmentFormMixin, forms.Form):
    body = forms.CharField()

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


def _files(*files):
    return MultiValueDict({"attach_files": list(files)})


def test_chosen_files_are_uploaded_and_bound_by_save_related():
    user = make_user(group_id=11)
    post = make_thread(author=user).post_set.get()
    form = DemoForm(
        {"body": "x"},
        _files(upload_file("图.png", image_bytes("PNG")), upload_file("说明.txt", b"hi")),
        user=user,
    )
    assert form.is_valid(), form.errors
    ids = form.cleaned_data["attachments"]
    assert len(ids) == 2 and Attachment.objects.filter(pk__in=ids, post=None).count() == 2
    form.save_related(post)
    assert set(post.attachments.values_list("filename", flat=True)) == {"图.png", "说明.txt"}


def test_a_form_shown_again_keeps_its_uploads():
    user = make_user(group_id=11)
    form = DemoForm({"body": ""}, _files(upload_file("a.txt", b"hi")), user=user)
    assert not form.is_valid() and "body" in form.errors
    (a,) = Attachment.objects.all()
    assert form["attachments"].value() == str(a.pk)
    again = DemoForm({"body": "ok", "attachments": str(a.pk)}, user=user)
    assert again.is_valid() and again.cleaned_data["attachments"] == [a.pk]


def test_refused_files_are_errors_naming_the_file():
    user = make_user(group_id=11)
    form = DemoForm({"body": "x"}, _files(upload_file("shell.jpg", PHP_BYTES)), user=user)
    assert not form.is_valid()
    assert form.errors["attach_files"] == ["shell.jpg: 文件内容与扩展名不符 (.jpg)"]


def test_malformed_or_foreign_ids_are_refused():
    user, other = make_user(group_id=11), make_user(group_id=11)
    assert not DemoForm({"body": "x", "attachments": "1;DROP"}, user=user).is_valid()
    theirs = services.upload(other, upload_file("a.txt", b"hi"))
    form = DemoForm({"body": "x", "attachments": str(theirs.pk)}, user=user)
    assert form.is_valid()
    post = make_thread(author=user).post_set.get()
    with pytest.raises(ValidationError):
        form.save_related(post)


def test_file_input_accepts_only_allowed_extensions():
    html = str(DemoForm(user=None)["attach_files"])
    assert 'type="file"' in html and "multiple" in html and ".jpg" in html and ".svg" not in html


def test_a_double_submit_binds_its_files_once():
    user = make_user(group_id=11)
    post = make_thread(author=user).post_set.get()
    for _ in range(2):  # the same form sent twice; the service returns the same post
        form = DemoForm({"body": "x"}, _files(upload_file("图.png", image_bytes("PNG"))), user=user)
        assert form.is_valid()
        form.save_related(post)
    assert post.attachments.count() == 1
    assert Attachment.objects.filter(post=None).count() == 1  # the copy, purged later
