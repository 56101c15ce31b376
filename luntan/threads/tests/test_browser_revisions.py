"""编辑记录 (a post's edit history) in a real browser, desktop and 375 px, Chinese and
English: a member edits their own reply with a reason, follows the 编辑记录 link on the
floor and sees the earlier version with a diff (removed words struck out, added words
marked); another member gets no link and a refusal. Screenshots:
``post-revisions-*.png``."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site, seed_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [(w, lang) for w in (375, 1280) for lang in ("zh-hans", "en")]
TEXT = {
    "zh-hans": {
        "save": "保存",
        "history": "编辑记录",
        "before": "李四 于",
        "refused": "只有作者和版主可以查看编辑记录",
    },
    "en": {
        "save": "Save",
        "history": "Edit history",
        "before": "Version before 李四 edited it",
        "refused": "Only the author and moderators can see the edit history",
    },
}


def _context(browser, live_server, width, lang, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-hans" else "en-US",
        viewport={"width": width, "height": 900},
    )
    context.add_cookies(
        [
            {"name": "django_language", "value": lang, "url": live_server.url},
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
        ]
    )
    return context


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_member_sees_their_posts_history_with_a_diff(browser, live_server, width, lang):
    configure_site(flood_seconds=0)
    seed = seed_thread()
    post = seed.posts[1]  # 李四's reply: 说得好听，做得怎么样？
    context = _context(browser, live_server, width, lang, seed.replier)
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    page.locator(f"#pid{post.pk} a.fl-edit").click()
    page.wait_for_url(f"**/p/{post.pk}/edit/")
    page.fill("textarea[name=body]", "说得好听，做得真不错？")
    page.fill("input[name=reason]", "改正措辞")
    page.get_by_role("button", name=TEXT[lang]["save"], exact=True).click()
    page.wait_for_url(f"**/t/{seed.thread.pk}/*#pid{post.pk}")

    link = page.locator(f"#pid{post.pk} a.fl-history")
    assert link.inner_text().strip() == TEXT[lang]["history"]
    link.click()
    page.wait_for_url(f"**/p/{post.pk}/revisions/")
    history = page.locator("section.revisions")
    assert TEXT[lang]["history"] in history.locator("h1").inner_text()
    assert "真不错" in history.locator("article.current").inner_text()
    older = history.locator("article.revision:not(.current)")
    assert older.count() == 1
    assert TEXT[lang]["before"] in older.locator("h2").inner_text()
    assert "改正措辞" in older.locator("h2").inner_text()
    assert older.locator(".rev-diff del").inner_text() == "怎么样"
    assert older.locator(".rev-diff ins").inner_text() == "真不错"
    assert "怎么样" in older.locator(".t_f").inner_text()  # the earlier version, rendered
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"post-revisions-{width}-{lang}")
    context.close()

    # Another member sees no link and is refused the page.
    other = _context(browser, live_server, width, lang, seed.third)
    page = other.new_page()
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/")
    assert page.locator(f"#pid{post.pk} a.fl-history").count() == 0
    response = page.goto(f"{live_server.url}/p/{post.pk}/revisions/")
    assert response is not None and response.status == 403
    assert TEXT[lang]["refused"] in page.locator("main").inner_text()
    assert "怎么样" not in page.locator("main").inner_text()
    other.close()
