"""工具 in a real browser, desktop and 375 px, Chinese and English: an administrator checks
the counters (the drift is shown), repairs them, and watches a running job's progress bar
follow the worker until it finishes (the page polls the job); re-renders posts whose stored
HTML is stale and sees the thread shown from the fresh rendering."""

from __future__ import annotations

import pytest
from django.utils import timezone

from luntan.admincenter.models import AdminJob
from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-hans": {
        "drift": "处统计不一致",
        "ok": "所有统计都正确",
        "done": "已完成",
        "rendered": "渲染 2 个帖子",
    },
    "en": {
        "drift": "counters differ",
        "ok": "every counter is right",
        "done": "Done",
        "rendered": "2 posts rendered",
    },
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_check_repair_and_job_progress(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    thread = make_thread(make_board("新闻"), subject="周末拍照")
    make_reply(thread)
    Thread.objects.filter(pk=thread.pk).update(replies=9)
    admin = make_admin()
    context = _context(browser, live_server, width, lang, admin)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/tools/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()

    page.locator(".run-check button").click()
    page.wait_for_load_state()
    assert TEXT[lang]["drift"] in page.locator(".counter-check").inner_text()
    assert "9" in page.locator(".drift-list").inner_text()
    _fits(page, width)
    save_screenshot(page, f"admin-center-tools-{width}-{lang}")
    page.locator(".run-repair button").click()
    page.wait_for_load_state()
    assert Thread.objects.get(pk=thread.pk).replies == 1
    page.locator(".run-check button").click()
    page.wait_for_load_state()
    assert TEXT[lang]["ok"] in page.locator(".counter-check").inner_text()

    # 重新渲染帖子: stale stored HTML is made again from the posts' source.
    Post.objects.update(html="<p>旧的显示内容</p>")
    page.locator(".run-rerender button").click()
    page.wait_for_load_state()
    row = page.locator("tr.job", has_text=TEXT[lang]["rendered"])
    assert row.count() == 1
    assert row.locator("progress").get_attribute("value") == "100"
    assert all("旧的" not in html for html in Post.objects.values_list("html", flat=True))
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    assert "周末拍照" in page.locator("main").inner_text()
    assert "旧的显示内容" not in page.locator("main").inner_text()

    # A job a worker is running: the page follows its progress, then shows it done.
    job = AdminJob.objects.create(
        kind=AdminJob.Kind.REBUILD_SEARCH,
        state=AdminJob.State.RUNNING,
        done=1,
        total=4,
        actor=admin,
        created=timezone.now(),
    )
    page.goto(f"{live_server.url}/admin-center/tools/")
    row = page.locator(f"tr.job[data-job='{job.pk}']")
    assert row.locator("progress").get_attribute("value") == "25"
    AdminJob.objects.filter(pk=job.pk).update(done=3)
    page.wait_for_function(
        f"document.querySelector(\"tr.job[data-job='{job.pk}'] .job-count\").textContent == '3/4'"
    )
    assert row.locator("progress").evaluate("p => p.value") == 75
    AdminJob.objects.filter(pk=job.pk).update(
        state=AdminJob.State.DONE, done=4, result={"indexed": 4}, finished_at=timezone.now()
    )
    page.wait_for_function(
        f"document.querySelector(\"tr.job[data-job='{job.pk}']\").dataset.state == 'done'"
    )
    page.wait_for_load_state()
    assert TEXT[lang]["done"] in page.locator(f"tr.job[data-job='{job.pk}']").inner_text()
    _fits(page, width)
    context.close()
