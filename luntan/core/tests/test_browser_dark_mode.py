"""Dark mode in a real browser: the footer switch, computed colours, no account needed.

Desktop and 375 px; screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import pytest

from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import seed_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIGHT_BODY_BG = "rgb(244, 246, 248)"  # --bg-page, light
DARK_BODY_BG = "rgb(20, 23, 27)"  # --bg-page, dark
DARK_TEXT = "rgb(226, 230, 234)"  # --text, dark
DARK_BOX_BG = "rgb(29, 33, 39)"  # --bg-box, dark
DARK_LINK = "rgb(127, 179, 234)"  # --link, dark


def _colours(page) -> dict:
    return page.evaluate(
        """() => {
            const cs = (el) => getComputedStyle(el);
            const box = document.querySelector('.bm, .pl, .plc');
            const link = document.querySelector('main a');
            return {
                bodyBg: cs(document.body).backgroundColor,
                bodyColor: cs(document.body).color,
                boxBg: box ? cs(box).backgroundColor : null,
                link: link ? cs(link).color : null,
                theme: document.documentElement.dataset.theme || null,
            };
        }"""
    )


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (375, "phone")])
def test_switch_to_dark_on_the_thread_page(browser, live_server, width, name):
    seed = seed_thread()
    url = f"{live_server.url}/t/{seed.thread.pk}/"
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", color_scheme="light"
    )
    page = context.new_page()
    page.goto(url)
    assert _colours(page)["bodyBg"] == LIGHT_BODY_BG
    switch = page.get_by_label("外观")
    assert switch.input_value() == "system"
    switch.select_option("dark")
    c = _colours(page)
    assert c["theme"] == "dark"
    assert (c["bodyBg"], c["bodyColor"], c["link"]) == (DARK_BODY_BG, DARK_TEXT, DARK_LINK)
    assert c["boxBg"] in (DARK_BOX_BG, "rgba(0, 0, 0, 0)")
    # No horizontal scroll from the footer switch on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"dark-thread-{name}")
    # The choice is remembered, and applied before the first paint (set in <head>).
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.get_by_label("外观").input_value() == "dark"
    assert _colours(page)["bodyBg"] == DARK_BODY_BG
    # Back to the system setting: light here.
    page.get_by_label("外观").select_option("system")
    assert _colours(page)["bodyBg"] == LIGHT_BODY_BG
    page.reload()
    assert page.evaluate("localStorage.getItem('luntan-theme')") is None
    context.close()


def test_system_dark_is_followed_without_a_choice(browser, live_server):
    seed = seed_thread()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    c = _colours(page)
    assert c["theme"] is None
    assert (c["bodyBg"], c["bodyColor"]) == (DARK_BODY_BG, DARK_TEXT)
    page.get_by_label("外观").select_option("light")
    assert _colours(page)["bodyBg"] == LIGHT_BODY_BG
    context.close()
