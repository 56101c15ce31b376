"""A group conversation in a real browser at desktop width and at 375 px: the founder
attaches a photo and a document to a message and sees the photo inline and the document
listed, invites a member (the system line "X 加入了会话" appears), and another member
leaves (the founder then sees "X 退出了会话"; the page is gone for who left)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import docx_bytes, jpeg_with_gps
from luntan.core.tests.browser import save_screenshot
from luntan.pms import services
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONVERSATION = re.compile(r"/pm/[0-9]+/(#last)?$")


def _signed_in(browser, live_server, member, width, height):
    client = Client()
    client.force_login(member)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_attach_invite_and_leave(browser, live_server, tmp_path, settings, width, height, name):
    settings.MEDIA_ROOT = tmp_path / "media"
    founder, bob, carol = make_user(f"发起人{name}"), make_user(f"乙{name}"), make_user(f"丙{name}")
    newcomer = make_user(f"新人{name}")
    conv = services.send_message(
        founder, "周末去爬山", recipients=[bob, carol], subject=f"爬山群{name}"
    ).conversation
    photo = tmp_path / "山顶.jpg"
    photo.write_bytes(jpeg_with_gps((900, 600)))
    doc = tmp_path / "路线.docx"
    doc.write_bytes(docx_bytes())

    context = _signed_in(browser, live_server, founder, width, height)
    page = context.new_page()
    page.goto(f"{live_server.url}/pm/{conv.pk}/")
    page.locator("#id_body").fill("照片和路线在附件里")
    page.locator("form.pm-reply input.attach-input").set_input_files([str(photo), str(doc)])
    page.locator("form.pm-reply").get_by_role("button", name="发送").click()
    page.wait_for_url(CONVERSATION)
    last = page.locator(".pm-message.mine").last
    image = last.locator(".attachments img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert last.locator("a", has_text="路线.docx").is_visible()
    assert Attachment.objects.filter(pm_message__conversation=conv).count() == 2
    # invite a member
    page.get_by_label("邀请成员").fill(newcomer.username)
    page.get_by_role("button", name="邀请", exact=True).click()
    page.wait_for_url(CONVERSATION)
    assert page.locator(".pm-system", has_text=f"{newcomer.username} 加入了会话").is_visible()
    assert newcomer.username in page.locator(".pm-members").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"pms-group-{name}")
    context.close()

    # a member leaves
    context = _signed_in(browser, live_server, bob, width, height)
    page = context.new_page()
    page.goto(f"{live_server.url}/pm/{conv.pk}/")
    assert page.locator(".pm-message .attachments img").count() == 1
    page.get_by_role("button", name="退出会话").click()
    page.wait_for_url("**/pm/")
    assert "您已退出该会话。" in page.content()
    assert page.locator("a.pm-link", has_text=f"爬山群{name}").count() == 0
    answer = page.goto(f"{live_server.url}/pm/{conv.pk}/")
    assert answer is not None and answer.status == 404
    context.close()

    context = _signed_in(browser, live_server, founder, width, height)
    page = context.new_page()
    page.goto(f"{live_server.url}/pm/{conv.pk}/")
    assert page.locator(".pm-system", has_text=f"{bob.username} 退出了会话").is_visible()
    context.close()
