"""上传附件: binding an upload to a post applies the postattach rule once per file."""

from __future__ import annotations

import pytest

from luntan.attachments import services as attachments
from luntan.attachments.tests.files import upload_file
from luntan.credits.models import CreditRule, MemberCredits
from luntan.threads.tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_each_newly_bound_attachment_earns_the_rule_once():
    CreditRule.objects.filter(action="postattach").update(extcredits2=1)
    author = make_user()
    post = make_thread(author=author).post_set.get(floor=1)
    files = [attachments.upload(author, upload_file(f"{i}.txt", b"hello")) for i in range(2)]
    attachments.bind(post, [f.pk for f in files], author)
    attachments.bind(post, [f.pk for f in files], author)  # binding again is a no-op
    # 发表主题 +2, two files +1 each
    assert MemberCredits.objects.get(pk=author.pk).extcredits2 == 2 + 2


def test_the_default_rule_gives_nothing():
    author = make_user()
    post = make_thread(author=author).post_set.get(floor=1)
    upload = attachments.upload(author, upload_file("a.txt", b"hello"))
    attachments.bind(post, [upload.pk], author)
    assert MemberCredits.objects.get(pk=author.pk).extcredits2 == 2
