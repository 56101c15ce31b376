"""Attachments in a real browser (Debian's Chromium through Playwright): a quick reply with
an image appends its floor with the thumbnail (htmx), the full reply page works without
JavaScript, and the 附件 box is shown. Screenshots go to ``test-output/screenshots/``."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import docx_bytes, jpeg_with_gps
from luntan.core.tests.browser import SCREENSHOTS
from luntan.core.tests.pages import seed_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seed(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed = seed_thread()
    from luntan.core.models import get_site_settings

    row = get_site_settings()
    row.flood_seconds = 0
    row.save()
    return seed


def _context(browser, live_server, user, **kw):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **kw)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def _files(tmp_path):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(jpeg_with_gps((1200, 800)))
    doc = tmp_path / "报名表.docx"
    doc.write_bytes(docx_bytes())
    return photo, doc


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _loaded(img) -> bool:
    return img.evaluate("i => i.complete && i.naturalWidth > 0")


def test_quick_reply_with_an_image_shows_its_thumbnail_in_the_new_floor(
    browser, live_server, seed, tmp_path
):
    photo, doc = _files(tmp_path)
    context = _context(browser, live_server, seed.third, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    floors_before = page.locator("article.floor").count()
    box = page.locator("#fastpost")
    box.locator("textarea").fill("现场照片和报名表都在附件里，请大家看看。")
    box.locator("input[type=file]").set_input_files([str(photo), str(doc)])
    box.locator("button[type=submit]:not([name=preview])").click()
    page.wait_for_function(
        "n => document.querySelectorAll('article.floor').length > n", arg=floors_before
    )
    floor = page.locator("article.floor").last
    thumb = floor.locator(".attachments img")
    thumb.wait_for()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("i => i.naturalWidth") == 300  # the thumbnail, not the 1200 px image
    text = floor.locator(".attachments").inner_text()
    assert "现场照片.jpg" in text and "报名表.docx" in text and "下载次数: 0" in text
    assert page.url.endswith(f"/t/{seed.thread.pk}/")  # no page load: htmx appended it
    # the box is empty again, the file input too
    assert box.locator("textarea").input_value() == ""
    assert box.locator("input[type=file]").evaluate("f => f.files.length") == 0
    floor.scroll_into_view_if_needed()
    _shot(page, "attachments-quick-reply.png")
    # the full image opens from the thumbnail's link, served as an image
    href = floor.locator(".attachments a.attach-img").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert Attachment.objects.filter(post__isnull=False).count() == 2
    context.close()


def test_reply_page_without_javascript_uploads_and_inlines_an_image(
    browser, live_server, seed, tmp_path
):
    photo, _doc = _files(tmp_path)
    context = _context(
        browser,
        live_server,
        seed.third,
        java_script_enabled=False,
        viewport={"width": 375, "height": 800},
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/reply/")
    page.locator("textarea[name=body]").fill("没有脚本也能上传图片。")
    page.locator("input[name=attach_files]").set_input_files(str(photo))
    page.locator("form.pf button[type=submit]:not([name=preview])").first.click()
    page.wait_for_load_state()
    floor = page.locator("article.floor").last
    img = floor.locator("img[src*='/attachments/']")
    img.wait_for()
    assert _loaded(img)
    _shot(page, "attachments-reply-nojs-375.png")
    context.close()
