"""Writes through the posting pipeline: new thread, reply, quote, edit, delete, with the
pages' limits (length, flood, censor, review queue) and the API's rate limits."""

from __future__ import annotations

import pytest
from django.test import override_settings

from luntan.accounts.groups import GroupId
from luntan.api.tests.conftest import bearer_client
from luntan.boards.models import Board
from luntan.core.models import SiteSettings
from luntan.threads.models import Post, Thread

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _site(**fields):
    site = SiteSettings.objects.get(pk=1)
    for name, value in fields.items():
        setattr(site, name, value)
    site.save()


def test_create_thread(forum):
    api = bearer_client(forum["member"])
    kind = forum["board"].thread_types.get(name="讨论")
    response = api.post(
        f"/api/v1/boards/{forum['board'].pk}/threads",
        {"subject": "接口发的主题", "body": "接口发的主题正文内容。", "type_id": kind.pk},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    thread = Thread.objects.get(pk=body["thread_id"])
    assert thread.subject == "接口发的主题" and thread.type_id == kind.pk
    assert body["post"]["floor"] == 1 and "接口发的主题正文内容" in body["post"]["html"]
    forum["board"].refresh_from_db()
    assert forum["board"].threads == 2  # counters kept by the pipeline


def test_reply_and_quote(forum):
    api = bearer_client(forum["member"])
    thread = forum["thread"]
    op = thread.post_set.get(floor=1)
    response = api.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": "我引用一下楼主的话。", "quote_id": op.pk},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["floor"] == 4
    post = Post.objects.get(pk=body["post_id"])
    assert post.source.startswith("[quote]") and f"/p/{op.pk}/" in post.source
    thread.refresh_from_db()
    assert thread.replies == 3


def test_quote_from_another_thread_is_refused(forum):
    api = bearer_client(forum["author"])
    other = forum["secret"].post_set.get(floor=1)
    response = api.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts",
        {"body": "引用别的主题的帖子", "quote_id": other.pk},
        content_type=JSON,
    )
    assert response.status_code == 422 and response.json()["code"] == "quote"


def test_same_token_twice_writes_once(forum):
    api = bearer_client(forum["member"])
    data = {"body": "只应该写入一次的回复", "token": "idem-1"}
    url = f"/api/v1/threads/{forum['thread'].pk}/posts"
    first = api.post(url, data, content_type=JSON)
    second = api.post(url, data, content_type=JSON)
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["duplicate"] is True
    assert first.json()["post_id"] == second.json()["post_id"]


def test_too_short_is_a_422_with_the_pipeline_code(forum):
    api = bearer_client(forum["member"])
    response = api.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts", {"body": "短"}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["code"] == "too_short"
    assert Post.objects.filter(thread=forum["thread"]).count() == 3  # nothing written


def test_flood_control_is_a_429_with_retry_after(forum):
    from luntan.threads.tests.factories import make_user

    _site(flood_seconds=30)
    api = bearer_client(make_user("新来的", group_id=GroupId.REGISTERED))  # no post yet
    url = f"/api/v1/threads/{forum['thread'].pk}/posts"
    assert api.post(url, {"body": "第一条回复内容"}, content_type=JSON).status_code == 201
    response = api.post(url, {"body": "第二条回复内容"}, content_type=JSON)
    assert response.status_code == 429
    assert response.json()["code"] == "flood"
    assert response["Retry-After"] == "30"


def test_censor_word_refuses(forum):
    from luntan.censor.models import CensorWord

    CensorWord.objects.create(find="违禁词", action=CensorWord.Action.BLOCK)
    api = bearer_client(forum["member"])
    response = api.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts",
        {"body": "这里有一个违禁词出现"},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert Post.objects.filter(thread=forum["thread"]).count() == 3


def test_review_queue_holds_the_post_with_202(forum):
    Board.objects.filter(pk=forum["board"].pk).update(moderate_new_posts=True)
    api = bearer_client(forum["member"])
    response = api.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts",
        {"body": "需要审核的回复内容"},
        content_type=JSON,
    )
    assert response.status_code == 202
    body = response.json()
    assert body["held"] is True and body["post"] is None and body["message"]
    assert Post.objects.get(pk=body["post_id"]).state == Post.State.PENDING


def test_closed_thread_refuses_members_but_not_its_moderator(forum):
    Thread.objects.filter(pk=forum["thread"].pk).update(closed=True)
    url = f"/api/v1/threads/{forum['thread'].pk}/posts"
    refused = bearer_client(forum["member"]).post(url, {"body": "关闭后的回复"}, content_type=JSON)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    ok = bearer_client(forum["moderator"]).post(url, {"body": "版主的回复"}, content_type=JSON)
    assert ok.status_code == 201


def test_newbies_who_solve_the_captcha_on_pages_cannot_skip_it(forum):
    from luntan.threads.tests.factories import make_user

    newbie = make_user("新人", group_id=GroupId.NEWBIE)
    with override_settings(LUNTAN_CAPTCHA=True):
        response = bearer_client(newbie).post(
            f"/api/v1/threads/{forum['thread'].pk}/posts",
            {"body": "新手的回复内容"},
            content_type=JSON,
        )
    assert response.status_code == 403
    assert response.json()["code"] == "captcha_required"


def test_edit_own_post_and_op_subject(forum):
    api = bearer_client(forum["author"])
    op = forum["thread"].post_set.get(floor=1)
    response = api.patch(
        f"/api/v1/posts/{op.pk}",
        {"body": "修改后的楼主正文内容", "subject": "改过的标题", "reason": "错字"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    op.refresh_from_db()
    assert op.source == "修改后的楼主正文内容"
    assert Thread.objects.get(pk=forum["thread"].pk).subject == "改过的标题"
    assert op.revisions.count() == 1


def test_editing_someone_elses_post_is_refused_for_members(forum):
    post = forum["thread"].post_set.get(floor=2)  # the member's
    response = bearer_client(forum["author"]).patch(
        f"/api/v1/posts/{post.pk}", {"body": "篡改别人的帖子"}, content_type=JSON
    )
    assert response.status_code == 403


def test_moderators_act_on_others_posts_with_the_moderate_scope_only(forum):
    post = forum["thread"].post_set.get(floor=2)
    url = f"/api/v1/posts/{post.pk}"
    without = bearer_client(forum["moderator"]).delete(url)
    assert without.status_code == 403 and without.json()["code"] == "insufficient_scope"
    api = bearer_client(forum["moderator"], scopes=("write", "moderate"))
    response = api.delete(url + "?reason=广告")
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.state == Post.State.DELETED


def test_author_deletes_own_reply(forum):
    post = forum["thread"].post_set.get(floor=3)  # the author's
    response = bearer_client(forum["author"]).delete(f"/api/v1/posts/{post.pk}")
    assert response.status_code == 200
    assert response.json()["thread_deleted"] is False
    forum["thread"].refresh_from_db()
    assert forum["thread"].replies == 1


def test_write_rate_limit_per_token_and_ip(forum):
    api = bearer_client(forum["member"])
    url = f"/api/v1/threads/{forum['thread'].pk}/posts"
    with override_settings(LUNTAN_API_RATE_WRITE="2/60"):
        codes = [
            api.post(url, {"body": f"限速测试回复{i}"}, content_type=JSON).status_code
            for i in range(3)
        ]
        last = api.post(url, {"body": "限速测试回复x"}, content_type=JSON)
    assert codes == [201, 201, 429]
    assert last.json()["code"] == "rate_limited"
    assert 1 <= int(last["Retry-After"]) <= 60


def test_read_rate_limit_per_ip_for_guests(client, forum):
    with override_settings(LUNTAN_API_RATE_READ="3/60"):
        codes = [client.get("/api/v1/site").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_reply_with_an_uploaded_attachment(forum):
    from luntan.api.tests.conftest import png_file
    from luntan.attachments.models import Attachment

    api = bearer_client(forum["member"])
    aid = api.post("/api/v1/attachments", {"file": png_file()}).json()["id"]
    response = api.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts",
        {"body": f"看这张图 [attach]{aid}[/attach]", "attachment_ids": [aid]},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert Attachment.objects.get(pk=aid).post_id == response.json()["post_id"]
    # now public with its post: a guest sees it
    assert bearer_client(forum["author"]).get(f"/api/v1/attachments/{aid}").status_code == 200


def test_someone_elses_upload_cannot_be_bound(forum):
    from luntan.api.tests.conftest import png_file

    aid = (
        bearer_client(forum["author"])
        .post("/api/v1/attachments", {"file": png_file()})
        .json()["id"]
    )
    response = bearer_client(forum["member"]).post(
        f"/api/v1/threads/{forum['thread'].pk}/posts",
        {"body": "偷用别人的附件", "attachment_ids": [aid]},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert Post.objects.filter(thread=forum["thread"]).count() == 3


def test_an_edit_binds_new_uploads(forum):
    from luntan.api.tests.conftest import png_file
    from luntan.attachments.models import Attachment

    api = bearer_client(forum["author"])
    aid = api.post("/api/v1/attachments", {"file": png_file()}).json()["id"]
    reply = forum["thread"].post_set.get(floor=3)  # the author's
    response = api.patch(
        f"/api/v1/posts/{reply.pk}",
        {"body": f"补一张图 [attach]{aid}[/attach]", "attachment_ids": [aid]},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert Attachment.objects.get(pk=aid).post_id == reply.pk


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("长" * 30_000, "too_large"),
        ("[img]http://a/b.png[/img]" * 31 + "图片很多", "too_many_images"),
    ],
)
def test_the_forms_markup_caps_apply(forum, body, code):
    response = bearer_client(forum["moderator"]).post(  # staff included, as on the forms
        f"/api/v1/threads/{forum['thread'].pk}/posts", {"body": body}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert Post.objects.filter(thread=forum["thread"]).count() == 3


def test_a_board_that_requires_a_thread_type_gets_one(forum):
    Board.objects.filter(pk=forum["board"].pk).update(thread_types_required=True)
    response = bearer_client(forum["member"]).post(
        f"/api/v1/boards/{forum['board'].pk}/threads",
        {"subject": "没有分类的主题", "body": "没有选择主题分类的正文"},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "type"


def test_control_characters_in_subject_or_body_are_refused(forum):
    api = bearer_client(forum["member"])
    kind = forum["board"].thread_types.get(name="讨论")
    before = Thread.objects.count()
    response = api.post(
        f"/api/v1/boards/{forum['board'].pk}/threads",
        {"subject": "退格\x08标题", "body": "接口发的主题正文内容。", "type_id": kind.pk},
        content_type=JSON,
    )
    assert response.status_code == 422, response.content
    assert "控制字符" in response.json()["detail"]
    response = api.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts",
        {"body": "回复内容足够长\x01了吧。"},
        content_type=JSON,
    )
    assert response.status_code == 422 and response.json()["code"] == "control"
    assert Thread.objects.count() == before
