"""The thread page read model (luntan.threads.page) and its floor-extras registry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.utils.html import format_html

from luntan.accounts.models import UserGroup
from luntan.core.tests.pages import long_thread, seed_thread
from luntan.threads import extras, queries
from luntan.threads.page import ThreadPage
from luntan.threads.tests.factories import make_reply

pytestmark = pytest.mark.django_db

THREADS = Path(__file__).resolve().parent.parent


class _Stamp(extras.FloorExtra):
    """A test extra: counts its calls and stamps every floor it is given."""

    name = "test-stamp"
    order = 99

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def annotations(self) -> dict:
        return {}

    def decorate(self, page, floors) -> None:
        self.calls.append([f.number for f in floors])
        for f in floors:
            f.below.append(format_html('<p class="stamp">{}</p>', f"<{f.number}>"))
            if page.rights is not None:  # action links are for signed-in viewers
                f.actions.append(format_html('<a class="fl-stamp" href="#">{}</a>', "盖章"))


@pytest.fixture
def stamp():
    extra = _Stamp()
    extras.register_floor_extra(extra)
    yield extra
    extras.unregister_floor_extra(extra.name)


def test_an_extra_gets_the_whole_page_at_once_and_its_pieces_show_escaped(client, stamp):
    thread = long_thread(25)
    with override_settings(LUNTAN_POSTS_PER_PAGE=20):
        html = client.get(f"/t/{thread.pk}/").content.decode()
    assert stamp.calls == [list(range(1, 21))]  # one call for the 20 floors of page 1
    assert html.count('<p class="stamp">') == 20
    assert '<p class="stamp">&lt;7&gt;</p>' in html  # the extra escaped its own value
    assert 'class="fl-stamp"' not in html and 'class="po"' not in html  # guests ...
    seed = seed_thread()
    client.force_login(seed.third)
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert html.count('class="fl-stamp"') == 4  # ... members get the extra's action links


def test_extras_run_in_order_and_a_second_registration_replaces_the_first(stamp):
    first = extras.floor_extras()
    assert [e.name for e in first] == sorted(
        (e.name for e in first), key=lambda n: next(x.order for x in first if x.name == n)
    )
    assert [e.name for e in first][:1] == ["moderation"]  # 屏蔽 before attachments
    again = _Stamp()
    extras.register_floor_extra(again)
    assert [e for e in extras.floor_extras() if e.name == "test-stamp"] == [again]
    with pytest.raises(ValueError):
        extras.register_floor_extra(extras.FloorExtra())


def test_the_quick_reply_floor_renders_like_the_page(client, stamp):
    seed = seed_thread()
    post = make_reply(seed.thread, seed.third, "第五楼")
    page = ThreadPage(seed.thread, viewer=AnonymousUser(), region_level="city").load()
    one = ThreadPage(seed.thread, viewer=AnonymousUser(), region_level="city").load_post(post.pk)
    html = str(page.render())
    single = str(one.render())
    assert single.startswith(f'<article class="floor" id="pid{post.pk}">')
    assert single in html  # the same markup, so the htmx answer matches a reload
    assert stamp.calls[-1] == [5]


def test_group_names_and_colours_are_escaped_on_floors(client):
    seed = seed_thread()
    group = UserGroup.objects.get(pk=seed.op_author.group_id)
    group.name = "<script>组</script>"
    group.color = '"><i>z'  # fits the 7-character column on PostgreSQL too
    group.save()
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert "&lt;script&gt;组&lt;/script&gt;" in html and "<script>组" not in html
    assert "<i>z" not in html


def test_num_pages_follows_the_author_filter(stamp):
    seed = seed_thread()
    with override_settings(LUNTAN_POSTS_PER_PAGE=1):
        assert ThreadPage(seed.thread, viewer=AnonymousUser()).num_pages == 4
        mine = ThreadPage(seed.thread, viewer=AnonymousUser(), author_id=seed.op_author.pk)
        assert mine.num_pages == 2
        assert [f.number for f in mine.load().floors] == [1]


def test_visible_posts_carry_every_extras_annotation():
    seed = seed_thread()
    post = queries.visible_posts(seed.thread).first()
    for name in ("has_attachments", "has_ratings", "is_banned", "is_warned"):
        assert hasattr(post, name), name


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize(
    "module",
    ["page.py", "extras.py", "queries.py", "views.py", "templatetags/luntan_threads.py"],
)
def test_the_thread_page_imports_no_feature_app(module):
    """Floors get attachments, ratings and moderation through the registry only."""
    feature_apps = ("luntan.attachments", "luntan.credits", "luntan.moderation")
    bad = {m for m in _imports(THREADS / module) if m.startswith(feature_apps)}
    assert bad == set()
