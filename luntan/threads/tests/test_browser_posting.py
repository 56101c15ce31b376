"""Posting in a real browser (Debian's Chromium through Playwright): new thread with the
toolbar and preview, quick reply appended by htmx without a page load, quote reply, edit
with the 本帖最后由 notice, delete, and the same reply with JavaScript switched off; the
forms at desktop width and at 375 px. Screenshots go to ``test-output/screenshots/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from luntan.core.tests.browser import SCREENSHOTS
from luntan.core.tests.pages import seed_thread
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "这是在浏览器里写的一段回复，足够长了。"


@pytest.fixture
def seed(live_server):
    seed = seed_thread()
    from luntan.core.models import get_site_settings

    settings_row = get_site_settings()
    settings_row.flood_seconds = 0  # the test posts faster than any person
    settings_row.save()
    return seed


def logged_in(browser, live_server, user, **context_args):
    """A browser context carrying ``user``'s session cookie."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **context_args)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_post_quick_reply_quote_edit_and_delete_with_javascript(browser, live_server, seed):
    member = seed.third
    context = logged_in(browser, live_server, member, viewport={"width": 1280, "height": 900})
    page = context.new_page()

    # 发新帖 with the toolbar and an htmx preview
    page.goto(f"{live_server.url}/f/{seed.board.pk}/new/")
    assert page.locator(".toolbar").is_visible()
    page.select_option("select[name=type]", label="求助")
    page.fill("input[name=subject]", "浏览器里发的新主题")
    body = page.locator("textarea[name=body]")
    body.fill("加粗这几个字，然后看看预览的效果。")
    body.evaluate("ta => ta.setSelectionRange(0, 6)")
    page.click(".toolbar button[data-tag=b]")
    assert body.input_value().startswith("[b]加粗这几个字[/b]")
    page.click(".smilies summary")
    page.click(".smiley-grid button[data-insert='👍']")  # inserted after the selection
    assert body.input_value().startswith("[b]加粗这几个字👍[/b]")
    page.evaluate("window.__stay = 1")
    page.get_by_role("button", name="预览").click()
    page.locator("#preview strong, #preview b").first.wait_for()
    assert page.evaluate("window.__stay") == 1  # preview came without a page load
    shot(page, "posting-new-thread-desktop.png")
    page.get_by_role("button", name="发表帖子").click()
    page.wait_for_url("**/t/*/")
    thread = Thread.objects.get(subject="浏览器里发的新主题")
    assert page.locator("h1").inner_text().startswith("【求助】")

    # 快速回复: htmx appends the floor, no navigation; twice (the form token is renewed)
    url = page.url
    page.evaluate("window.__stay = 1")
    for n, text in ((2, BODY), (3, "第二条快速回复，也要足够长。")):
        page.fill("#fastpostmessage", text)
        page.get_by_role("button", name="发表回复").click()
        page.locator("article.floor").nth(n - 1).wait_for()
        assert page.locator("article.floor").count() == n
        assert page.locator("#fastpostmessage").input_value() == ""
    assert page.url == url and page.evaluate("window.__stay") == 1
    assert page.locator("#th-replies").inner_text() == "2"
    assert page.locator("article.floor").nth(2).inner_text().count("第二条快速回复") == 1
    assert Post.objects.filter(thread=thread).count() == 3
    shot(page, "posting-quick-reply-desktop.png")

    # the floor's 回复 link writes @name into the quick reply box
    page.locator("article.floor").first.locator("a.fl-reply").click()
    assert page.locator("#fastpostmessage").input_value() == "@王五 "
    page.fill("#fastpostmessage", "")

    # 引用: the full reply page with the quote, then back on the thread at the new floor
    second = Post.objects.get(thread=thread, floor=2)
    page.locator(f"#pid{second.pk} a.fl-quote").click()
    page.wait_for_url("**/reply/?quote=*")
    assert "引用 王五 发表于" in page.locator(".quote-preview").inner_text()
    page.fill("textarea[name=body]", "引用一下楼上，补充我的看法。")
    shot(page, "posting-quote-desktop.png")
    page.get_by_role("button", name="参与/回复主题").click()
    page.wait_for_url(f"**/t/{thread.pk}/*#pid*")
    quote_post = Post.objects.get(thread=thread, floor=4)
    floor = page.locator(f"#pid{quote_post.pk}")
    assert "王五 发表于" in floor.locator("blockquote").inner_text()

    # 编辑 a reply written five minutes ago: the notice appears
    old = make_reply(
        thread, member, "五分钟前写的回复内容。", now=timezone.now() - timedelta(minutes=5)
    )
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    page.locator(f"#pid{old.pk} a.fl-edit").click()
    page.wait_for_url(f"**/p/{old.pk}/edit/")
    page.fill("textarea[name=body]", "五分钟后改过的回复内容。")
    page.fill("input[name=reason]", "修正")
    shot(page, "posting-edit-desktop.png")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/t/{thread.pk}/*#pid{old.pk}")
    edited = page.locator(f"#pid{old.pk}")
    assert "本帖最后由 王五 于" in edited.locator(".pstatus").inner_text()
    assert "五分钟后改过的回复内容。" in edited.inner_text()

    # 删除 with confirmation: the floor is gone for members (moderators see 该帖已被删除)
    page.locator(f"#pid{old.pk} a.fl-delete").click()
    page.get_by_role("button", name="确定删除").click()
    before = Post.objects.filter(thread=thread, floor__lt=old.floor, state=0).order_by("-floor")[0]
    page.wait_for_url(f"**/t/{thread.pk}/*#pid{before.pk}")  # the floor before it
    assert page.locator(f"#pid{old.pk}").count() == 0
    shot(page, "posting-thread-after-desktop.png")
    context.close()


def test_the_same_reply_works_with_javascript_disabled(browser, live_server, seed):
    context = logged_in(
        browser,
        live_server,
        seed.replier,
        java_script_enabled=False,
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    assert not page.locator(".toolbar").is_visible()  # the toolbar needs JavaScript
    page.fill("#fastpostmessage", BODY)
    page.get_by_role("button", name="发表回复").click()
    page.wait_for_url(f"**/t/{seed.thread.pk}/*#pid*")
    post = Post.objects.get(thread=seed.thread, floor=5)
    assert page.url.endswith(f"#pid{post.pk}")
    assert BODY in page.locator(f"#pid{post.pk}").inner_text()
    # the preview button posts the form to the full reply page
    page.fill("#fastpostmessage", "[b]预览一下[/b]没有脚本也可以。")
    page.get_by_role("button", name="预览").click()
    page.wait_for_url(f"**/t/{seed.thread.pk}/reply/")
    assert page.locator(".preview-box strong, .preview-box b").first.inner_text() == "预览一下"
    assert "[b]预览一下[/b]" in page.locator("textarea[name=body]").input_value()
    shot(page, "posting-nojs-preview-desktop.png")
    page.get_by_role("button", name="参与/回复主题").click()
    page.wait_for_url(f"**/t/{seed.thread.pk}/*#pid*")
    assert Post.objects.filter(thread=seed.thread).count() == 6
    context.close()


def test_posting_forms_fit_a_phone(browser, live_server, seed):
    context = logged_in(
        browser,
        live_server,
        seed.replier,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    for path, name in (
        (f"/f/{seed.board.pk}/new/", "posting-new-thread-375.png"),
        (f"/t/{seed.thread.pk}/reply/?quote={seed.posts[0].pk}", "posting-reply-375.png"),
        (f"/p/{seed.posts[1].pk}/edit/", "posting-edit-375.png"),
        (f"/t/{seed.thread.pk}/", "posting-thread-375.png"),
    ):
        page.goto(live_server.url + path)
        assert page.locator("textarea").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        box = page.locator("textarea").first.bounding_box()
        assert box["width"] > 300  # the editor uses the width of the phone
        shot(page, name)
    page.click(".smilies summary")
    assert page.locator(".smiley-grid").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "posting-smilies-375.png")
    context.close()


def _solve_captcha(scope) -> None:
    """Tick the ALTCHA box inside ``scope`` and wait until the proof of work is done."""
    scope.locator(".lt-captcha-bar").first.click()
    scope.locator(".lt-captcha[data-state=verified]").first.wait_for(timeout=30_000)


def test_register_verify_log_in_post_reply_quote_edit_log_out(browser, live_server, settings):
    """The whole path of a new member, with the captcha on (new members solve it for their
    first posts, not for edits)."""
    import re

    from django.core import mail

    from luntan.accounts.models import User
    from luntan.accounts.tests.helpers import PASSWORD
    from luntan.core.tests.pages import configure_site
    from luntan.threads.tests.factories import make_board

    settings.LUNTAN_CAPTCHA = True
    configure_site(flood_seconds=0, registration_mode="email")
    board = make_board("新人报到")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = context.new_page()

    # register → verify by the mailed link → log out → log in
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_username", "新来的会员")
    page.fill("#id_email", "newcomer@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _solve_captcha(page)
    page.click("button:has-text('提交注册')")
    page.wait_for_url(f"{live_server.url}/")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("button:has-text('确认')")
    page.wait_for_load_state()
    page.click("header form.logout button")
    page.wait_for_selector("header >> text=登录")
    page.click("header >> text=登录")
    page.fill("#id_login", "新来的会员")
    page.fill("#id_password", PASSWORD)
    page.click("form.auth-form button:has-text('登录')")
    page.wait_for_selector("header a.me")
    member = User.objects.get(username="新来的会员")

    # post a thread (with the captcha)
    page.goto(f"{live_server.url}/f/{board.pk}/new/")
    page.fill("input[name=subject]", "大家好，我是新来的")
    page.fill("textarea[name=body]", "刚刚注册，来和大家打个招呼。")
    _solve_captcha(page)
    page.get_by_role("button", name="发表帖子").click()
    page.wait_for_url("**/t/*/")
    thread = Thread.objects.get(author=member)

    # quick reply through htmx: the floor appears without a page load
    page.evaluate("window.__stay = 1")
    page.fill("#fastpostmessage", "自己先顶一下，欢迎大家回复。")
    _solve_captcha(page.locator("#fastpost"))
    page.get_by_role("button", name="发表回复").click()
    page.locator("article.floor").nth(1).wait_for()
    assert page.evaluate("window.__stay") == 1
    reply = Post.objects.get(thread=thread, floor=2)

    # quote reply of the OP
    op = Post.objects.get(thread=thread, floor=1)
    page.locator(f"#pid{op.pk} a.fl-quote").click()
    page.wait_for_url("**/reply/?quote=*")
    page.fill("textarea[name=body]", "引用一下一楼，补充几句话。")
    _solve_captcha(page)
    page.get_by_role("button", name="参与/回复主题").click()
    page.wait_for_url(f"**/t/{thread.pk}/*#pid*")
    assert "新来的会员 发表于" in page.locator("article.floor blockquote").first.inner_text()

    # edit the quick reply, written (say) five minutes ago: the notice shows
    Post.objects.filter(pk=reply.pk).update(created=timezone.now() - timedelta(minutes=5))
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    page.locator(f"#pid{reply.pk} a.fl-edit").click()
    page.fill("textarea[name=body]", "改一下：欢迎大家多多回复。")
    assert page.locator(".lt-captcha").count() == 0  # edits never ask (Discuz!)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/t/{thread.pk}/*#pid{reply.pk}")
    assert "本帖最后由 新来的会员 于" in page.locator(f"#pid{reply.pk} .pstatus").inner_text()
    shot(page, "posting-new-member-thread-desktop.png")

    # log out (POST)
    page.click("header form.logout button")
    page.wait_for_selector("header >> text=马上注册")
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    assert page.get_by_text("您需要登录后才可以回帖").is_visible()
    context.close()


def test_a_second_preview_too_soon_shows_the_rate_limit_notice(
    browser, live_server, seed, settings
):
    """Issue 9 item 1: previews are rate limited like posting; the member reads why."""
    from django.core.cache import cache

    cache.clear()
    settings.LUNTAN_PREVIEW_INTERVAL = 30
    context = logged_in(browser, live_server, seed.third, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/f/{seed.board.pk}/new/")
    page.fill("textarea[name=body]", "[b]第一次预览[/b]的内容。")
    page.get_by_role("button", name="预览").click()
    page.locator("#preview strong, #preview b").first.wait_for()
    page.fill("textarea[name=body]", "[b]第二次预览[/b]的内容。")
    page.get_by_role("button", name="预览").click()
    page.locator("#preview [role=alert]").wait_for()
    assert "预览太频繁" in page.locator("#preview").inner_text()
    assert "第二次预览" not in page.locator("#preview").inner_text()
    shot(page, "posting-preview-rate-limited-desktop.png")
