"""The 管理中心, the moderation bar and the account pages in dark mode (the system setting),
in a real browser, desktop and 375 px, Chinese and English: their colours come from the
theme, so tabs, cards, notices and the moderation bar are dark with readable text (WCAG
AA contrast measured on the computed colours)."""

from __future__ import annotations

import pytest

from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import make_board, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: (selector, minimum contrast of its text on the background it sits on)
CHECKS_JS = """(selectors) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return selectors.map((sel) => {
    const el = document.querySelector(sel);
    if (!el) return [sel, null, null];
    const fg = lum(rgb(getComputedStyle(el).color));
    const bg = lum(bgOf(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    return [sel, ratio, bg];
  });
}"""


def _check(page, selectors, *, accent=False):
    """Each selector's text reads at 4.5:1 on its background, which is dark (an
    ``accent``: a coloured background such as the current tab or a button)."""
    for sel, ratio, bg in page.evaluate(CHECKS_JS, selectors):
        assert ratio is not None, f"{sel} not on the page"
        assert accent or bg < 0.1, f"{sel} sits on a light background in dark mode"
        assert ratio >= 4.5, f"{sel}: contrast {ratio:.2f}:1 in dark mode"


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_admin_center_and_moderation_bar_in_dark_mode(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    thread = make_thread(make_board("新闻"), subject="周末拍照")
    admin = make_admin()
    context = _context(browser, live_server, width, lang, admin)
    page = context.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/admin-center/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    _check(page, [".ac-nav a:not([aria-current])", ".ac-card .n"])
    _check(page, [".ac-nav a[aria-current]"], accent=True)
    _fits(page, width)
    save_screenshot(page, f"admin-center-dark-{width}-{lang}")
    page.goto(f"{live_server.url}/admin-center/global/")
    page.locator(".global-form button[type=submit]").click()
    page.wait_for_load_state()
    _check(page, [".msgs .msg", ".helptext"])
    _check(page, [".ac-form button"], accent=True)
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    _check(page, [".modbar strong", ".modbar label"])
    save_screenshot(page, f"moderation-dark-{width}-{lang}")
    context.close()

    guest = _context(browser, live_server, width, lang).new_page()
    guest.emulate_media(color_scheme="dark")
    guest.goto(f"{live_server.url}/accounts/login/")
    _check(guest, [".auth .help, .auth .lead, .auth label", ".auth input[type=password]"])
    guest.context.close()
