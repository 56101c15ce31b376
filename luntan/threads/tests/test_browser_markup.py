"""Post markup on a phone (375 px): [img=w,h] clamped to the content width with its aspect
ratio kept (issue 9, item 7); a 500-deep quote chain collapsed into one 展开更多引用 box
with no literal tags (item 9)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import seed_thread
from luntan.threads.tests.factories import make_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 80)).save(out, "PNG")
    return out.getvalue()


def test_huge_image_sizes_are_clamped_to_the_phone_width_keeping_the_ratio(browser, live_server):
    seed = seed_thread()
    make_reply(
        seed.thread,
        seed.replier,
        "大图：[img=9999,9999]https://img.example.org/square.png[/img]\n"
        "宽图：[img=3000,1500]https://img.example.org/wide.png[/img]\n"
        "坏图：[img=9999,9999]https://img.example.org/missing.png[/img]\n"
        "表格：[table][tr][td][img=9999,9999]https://img.example.org/cell.png[/img][/td][/tr][/table]\n"
        "浮动：[float=left][img=9999,9999]https://img.example.org/float.png[/img][/float]",
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    images = {
        "square.png": _png(40, 40),
        "wide.png": _png(60, 30),
        "cell.png": _png(40, 40),
        "float.png": _png(40, 40),
    }

    def serve(route):
        name = route.request.url.rsplit("/", 1)[-1]
        if name in images:
            route.fulfill(status=200, content_type="image/png", body=images[name])
        else:
            route.fulfill(status=404, body="")

    page.route("https://img.example.org/**", serve)
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    page.wait_for_load_state("networkidle")
    boxes = {}
    for name in ("square", "wide", "missing", "cell", "float"):
        img = page.locator(f'img[src$="/{name}.png"]')
        img.scroll_into_view_if_needed()
        boxes[name] = img.bounding_box()
    save_screenshot(page, "threads-images-375.png")
    content_width = page.locator(".t_f").last.bounding_box()["width"]
    assert content_width <= 375
    for name, box in boxes.items():
        assert box is not None, name
        assert 0 < box["width"] <= content_width + 0.5, (name, box)
    for name in ("square", "cell", "float"):
        assert abs(boxes[name]["height"] - boxes[name]["width"]) <= 1, (name, boxes[name])
    assert abs(boxes["wide"]["height"] * 2 - boxes["wide"]["width"]) <= 2
    assert boxes["missing"]["height"] <= boxes["missing"]["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_500_deep_quote_chain_is_short_on_a_phone(browser, live_server):
    seed = seed_thread()
    source = "最里面的话"
    for n in range(500):
        source = (
            f"[quote][size=2][url=/p/{n}/][color=#999999]会员{n} 发表于 2024-1-1 10:00"
            f"[/color][/url][/size]\n{source}[/quote]\n第 {n} 层"
        )
    make_reply(seed.thread, seed.replier, source)
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    post = page.locator(".t_f").last
    text = post.inner_text()
    assert "[quote]" not in text and "[/quote]" not in text and "[size" not in text
    more = post.locator("details.quote-more")
    assert more.count() == 1 and more.get_attribute("open") is None
    assert post.locator("summary").inner_text() == "展开更多引用"
    assert post.bounding_box()["height"] < 1000  # collapsed: three boxes and the summary
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    save_screenshot(page, "threads-deep-quotes-375.png")
    post.locator("summary").click()
    assert more.get_attribute("open") is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
