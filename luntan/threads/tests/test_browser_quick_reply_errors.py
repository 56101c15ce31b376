"""The quick reply box after a form error (issue 14, item 4): htmx swaps the box with its
error in, and the editor toolbar is still there and still works, at desktop width and at
375 px."""

from __future__ import annotations

import pytest

from luntan.core.tests.browser import save_screenshot
from luntan.threads.models import Post
from luntan.threads.tests.test_browser_posting import logged_in, seed  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.mark.parametrize("size", SIZES)
def test_the_toolbar_survives_a_refused_quick_reply(browser, live_server, seed, size):  # noqa: F811
    context = logged_in(browser, live_server, seed.third, viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    box = page.locator("#fastpost")
    assert box.locator(".toolbar").is_visible()
    floors = Post.objects.filter(thread=seed.thread).count()
    page.evaluate("window.__stay = 1")
    box.get_by_role("button", name="发表回复").click()  # empty: refused
    box.locator(".field-errors, .errors, [role=alert]").first.wait_for()
    assert page.evaluate("window.__stay") == 1  # swapped in by htmx, no page load
    assert Post.objects.filter(thread=seed.thread).count() == floors
    toolbar = page.locator("#fastpost .toolbar")
    # htmx sets the editor up again once the swapped box settles (a few ms later)
    toolbar.wait_for(state="visible", timeout=5000)
    assert toolbar.is_visible()
    save_screenshot(page, f"quick-reply-error-toolbar-{size}")
    body = page.locator("#fastpostmessage")
    body.fill("加粗")
    body.evaluate("ta => ta.setSelectionRange(0, 2)")
    toolbar.locator("button[data-tag=b]").click()
    assert body.input_value() == "[b]加粗[/b]"
    context.close()
