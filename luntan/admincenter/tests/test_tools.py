"""工具: counter check then repair, search index rebuild, cache clearing, each a job on
the task queue (immediate backend in tests) with state and progress; logged; only
administrators run them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.admincenter import tools as services
from luntan.admincenter.models import AdminJob
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.moderation.models import Action, AuditLog
from luntan.moderation.tests.helpers import make_moderator
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _drifted_thread():
    thread = make_thread(make_board("新闻"))
    make_reply(thread)
    Thread.objects.filter(pk=thread.pk).update(replies=7)
    return thread


def test_guest_is_sent_to_log_in():
    for url in ("/admin-center/tools/", "/admin-center/tools/jobs/1/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    Client().post("/admin-center/tools/", {"kind": "clear_caches"})
    assert not AdminJob.objects.exists()


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_and_moderators_get_403(who):
    if who == "member":
        user = make_user("普通会员", group_id=GroupId.REGISTERED)
    else:
        user = make_moderator(make_board("新闻"), "版主小王")
    client = Client()
    client.force_login(user)
    assert client.get("/admin-center/tools/").status_code == 403
    assert client.post("/admin-center/tools/", {"kind": "clear_caches"}).status_code == 403
    assert not AdminJob.objects.exists()


def test_check_shows_drift_then_repair_fixes_it(django_capture_on_commit_callbacks):
    thread = _drifted_thread()
    admin = make_admin()
    with django_capture_on_commit_callbacks(execute=True):
        check = services.start_job("check_counters", actor=admin)
    check.refresh_from_db()
    assert check.state == AdminJob.State.DONE and check.percent == 100
    assert ["thread", thread.pk, "replies", "7", "1"] in check.result["rows"]
    assert Thread.objects.get(pk=thread.pk).replies == 7  # a check changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        repair = services.start_job("repair_counters", actor=admin)
    repair.refresh_from_db()
    assert repair.state == AdminJob.State.DONE and repair.result["fixed"] >= 1
    assert Thread.objects.get(pk=thread.pk).replies == 1
    tools_run = AuditLog.objects.filter(action=Action.RUN_TOOL).order_by("pk")
    assert [e.after["tool"] for e in tools_run] == ["check_counters", "repair_counters"]
    assert AuditLog.objects.filter(action=Action.REPAIR_COUNTERS).exists()


def test_rebuild_search_reports_progress(django_capture_on_commit_callbacks, monkeypatch):
    board = make_board("新闻")
    for i in range(3):
        make_thread(board, subject=f"主题{i}")
    seen = []
    real = services._progress

    def spy(job_id, done, total):
        seen.append((done, total))
        real(job_id, done, total)

    monkeypatch.setattr(services, "_progress", spy)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("rebuild_search", actor=make_admin())
    job.refresh_from_db()
    assert job.state == AdminJob.State.DONE
    assert job.result == {"indexed": 3}
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert (job.done, job.total) == (3, 3)


def test_clear_caches_empties_the_cache(django_capture_on_commit_callbacks):
    cache.set("admin2-probe", "x")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job("clear_caches", actor=make_admin())
    job.refresh_from_db()
    assert job.state == AdminJob.State.DONE
    assert cache.get("admin2-probe") is None
    assert "default" in job.result["caches"]


def test_unknown_busy_and_failing_tools():
    admin = make_admin()
    with pytest.raises(ValidationError):
        services.start_job("format_disk", actor=admin)
    job = services.start_job("clear_caches", actor=admin)  # on_commit not run: stays queued
    with pytest.raises(ValidationError):
        services.start_job("clear_caches", actor=admin)
    assert services.run_job(job.pk).state == AdminJob.State.DONE
    assert services.run_job(job.pk) is None  # a retry does not run it twice
    failing = services.start_job("rebuild_search", actor=admin)

    def boom(_job):
        raise RuntimeError("索引后端不可用")

    services._TOOLS[AdminJob.Kind.REBUILD_SEARCH], real = (
        boom,
        services._TOOLS[AdminJob.Kind.REBUILD_SEARCH],
    )
    try:
        done = services.run_job(failing.pk)
    finally:
        services._TOOLS[AdminJob.Kind.REBUILD_SEARCH] = real
    assert done.state == AdminJob.State.FAILED and "索引后端不可用" in done.error


def test_page_shows_check_result_then_repair_and_job_json(django_capture_on_commit_callbacks):
    thread = _drifted_thread()
    client = admin_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin-center/tools/", {"kind": "check_counters"})
    assert response.status_code == 302
    html = client.get("/admin-center/tools/").content.decode()
    assert "处统计不一致" in html and "run-repair" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin-center/tools/", {"kind": "repair_counters"})
    assert Thread.objects.get(pk=thread.pk).replies == 1
    job = AdminJob.objects.filter(kind="repair_counters").get()
    data = client.get(f"/admin-center/tools/jobs/{job.pk}/").json()
    assert data["state"] == "done" and data["percent"] == 100 and data["active"] is False
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin-center/tools/", {"kind": "check_counters"})
    assert "所有统计都正确" in client.get("/admin-center/tools/").content.decode()
    bad = client.post("/admin-center/tools/", {"kind": "nope"}, follow=True)
    assert "没有这个工具" in bad.content.decode()


def test_a_job_no_worker_picked_up_for_an_hour_no_longer_blocks():
    from datetime import timedelta

    from django.utils import timezone

    admin = make_admin()
    old = services.start_job("clear_caches", actor=admin, now=timezone.now() - timedelta(hours=2))
    job = services.start_job("clear_caches", actor=admin)
    old.refresh_from_db()
    assert old.state == AdminJob.State.FAILED and "任务队列" in old.error
    assert job.state == AdminJob.State.QUEUED


def test_rerender_posts_renders_every_post_again_with_progress(
    django_capture_on_commit_callbacks,
):
    from luntan.threads.models import Post

    thread = make_thread(make_board("新闻"), body="[b]加粗的标题[/b]")
    reply = make_reply(thread, body="第二楼")
    # Stored HTML from an older renderer (or before a smiley/BBCode change).
    Post.objects.update(html="<p>旧的显示内容</p>")
    client = admin_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin-center/tools/", {"kind": "rerender_posts"})
    assert response.status_code == 302
    job = AdminJob.objects.get(kind="rerender_posts")
    assert job.state == AdminJob.State.DONE
    assert job.result == {"rendered": 2} and (job.done, job.total) == (2, 2)
    op = Post.objects.get(thread=thread, floor=1)
    assert "<strong>加粗的标题</strong>" in op.html and "旧的" not in op.html
    assert "第二楼" in Post.objects.get(pk=reply.pk).html
    entry = AuditLog.objects.get(action=Action.RUN_TOOL)
    assert entry.after == {"tool": "rerender_posts", "job": job.pk}
    html = client.get("/admin-center/tools/").content.decode()
    assert "渲染 2 个帖子" in html
    client.cookies["django_language"] = "en"
    assert "2 posts rendered" in client.get("/admin-center/tools/").content.decode()
