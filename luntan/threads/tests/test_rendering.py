"""Stored HTML is refreshed by ``luntan rerender_posts`` when the renderer changes."""

import pytest
from django.core.management import call_command

from luntan import markup
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_stale_posts_are_rerendered_and_current_ones_left_alone(capsys):
    thread = make_thread(body="[b]粗体[/b]")
    fresh = make_reply(thread, body="新的回复")
    Post.objects.filter(floor=1).update(html="旧的渲染", renderer_version=0)
    call_command("rerender_posts", "--batch", "1")
    op = Post.objects.get(thread=thread, floor=1)
    assert "<strong>粗体</strong>" in op.html or "<b>粗体</b>" in op.html
    assert op.renderer_version == markup.RENDERER_VERSION
    assert "Re-rendered 1 posts." in capsys.readouterr().out
    fresh.refresh_from_db()
    assert fresh.renderer_version == markup.RENDERER_VERSION
