"""Avatar and signature in a real browser at desktop width and at 375 px: upload an
avatar on 设置, drag the crop square, set a signature, then see both on the member's floor
and the avatar in the header and on the profile."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.members.tests.images import two_colour_png
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_upload_avatar_and_signature_show_on_a_floor(
    browser, live_server, tmp_path, width, height, name
):
    member = make_user(f"头像{name}")
    thread = make_thread(make_board(f"头像版{name}"), subject=f"看看我的新头像{name}")
    make_reply(thread, author=member, body="我来回复一下")
    client = Client()
    client.force_login(member)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/settings/")
    picture = tmp_path / "me.png"
    picture.write_bytes(two_colour_png(400, 300))
    page.set_input_files("#id_avatar", str(picture))
    box = page.locator(".crop-box")
    box.wait_for(state="visible")
    assert page.input_value('input[name="crop_side"]') == "300"  # the centred square
    box.scroll_into_view_if_needed()  # a phone's viewport: the mouse must stay on screen
    start = box.bounding_box()
    assert start is not None
    middle = start["y"] + start["height"] / 2
    page.mouse.move(start["x"] + start["width"] / 2, middle)
    page.mouse.down()
    page.mouse.move(1, middle, steps=5)  # drag to the viewport's left edge: past the image's
    page.mouse.up()
    assert page.input_value('input[name="crop_x"]') == "0"
    save_screenshot(page, f"avatar-crop-{name}")
    page.get_by_role("button", name="保存头像").click()
    page.wait_for_url("**/accounts/settings/#avatar")
    assert "头像已更新。" in page.content()
    member.refresh_from_db()
    assert member.avatar

    page.fill("#id_signature", "[b]好好学习[/b]，天天向上")
    page.get_by_role("button", name="保存签名").click()
    page.wait_for_url("**/accounts/settings/#signature")
    assert "签名已保存。" in page.content()

    page.goto(f"{live_server.url}/t/{thread.pk}/")
    floor = page.locator("article.floor", has_text="我来回复一下")
    sign = floor.locator(".sign")
    assert sign.inner_text().strip() == "好好学习，天天向上"
    assert sign.locator("strong").inner_text() == "好好学习"
    avatar = floor.locator(".pls .avatar img")
    assert "_middle.jpg" in (avatar.get_attribute("src") or "")
    # The picture really loads: the browser decoded a 120 px square.
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 120
    header = page.locator("nav.um img.nav-avatar")
    assert "_small.jpg" in (header.get_attribute("src") or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"avatar-floor-{name}")

    page.goto(f"{live_server.url}/u/{member.pk}/")
    assert page.locator("img.profile-avatar").evaluate("img => img.naturalWidth") == 200
    assert "好好学习" in page.locator(".profile .sign").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"profile-{name}")
    context.close()
