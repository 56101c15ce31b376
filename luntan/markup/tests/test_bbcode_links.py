"""url, email, img, attach, media/audio/flash."""

import pytest

from luntan.markup import render

REL = 'rel="nofollow noopener ugc"'


def test_bare_url_tag_links_to_itself():
    assert render("[url]http://example.com/a?b=1&c=2[/url]") == (
        f'<a href="http://example.com/a?b=1&amp;c=2" {REL}>http://example.com/a?b=1&amp;c=2</a>'
    )


def test_url_with_text():
    assert render("[url=https://example.com]示例[/url]") == (
        f'<a href="https://example.com" {REL}>示例</a>'
    )


def test_bare_www_gets_http():
    assert 'href="http://www.example.com/x"' in render("[url]www.example.com/x[/url]")
    assert 'href="http://www.example.com"' in render("[url=www.example.com]x[/url]")


def test_relative_discuz_url_becomes_root_relative():
    html = render("[url=forum.php?mod=viewthread&tid=17406]帖子[/url]")
    assert 'href="/forum.php?mod=viewthread&amp;tid=17406"' in html
    assert 'href="/thread-1-1-1.html"' in render("[url=thread-1-1-1.html]t[/url]")


def test_root_relative_and_fragment_links_stay():
    assert 'href="/p/12/"' in render("[url=/p/12/]x[/url]")
    assert 'href="#pid12"' in render("[url=#pid12]x[/url]")


def test_long_bare_url_text_is_shortened_like_discuz():
    url = "http://example.com/" + "a" * 100
    html = render(f"[url]{url}[/url]")
    assert f'href="{url}"' in html
    assert ">http://example.com/aaaaaaaaaaaaa ... " in html


def test_link_inside_link_stays_text():
    html = render("[url=http://a.example]x[url=http://b.example]y[/url][/url]")
    assert html.count("<a ") == 1
    assert "[url=http://b.example]y" in html


def test_image_inside_link_is_allowed():
    html = render("[url=http://a.example][img]http://a.example/i.png[/img][/url]")
    assert html == (
        f'<a href="http://a.example" {REL}><img src="http://a.example/i.png" alt="" loading="lazy"></a>'
    )


def test_email_tag():
    assert render("[email]a.b@example.com[/email]") == (
        f'<a href="mailto:a.b@example.com" {REL}>a.b@example.com</a>'
    )
    assert render("[email=a@example.com]写信[/email]") == (
        f'<a href="mailto:a@example.com" {REL}>写信</a>'
    )


def test_email_that_is_not_an_address_stays_text():
    assert render("[email]not an address[/email]") == "not an address"
    assert render("[email=javascript:alert(1)]x[/email]") == "[email=javascript:alert(1)]x[/email]"


def test_image_with_and_without_size():
    assert render("[img]http://example.com/a.jpg[/img]") == (
        '<img src="http://example.com/a.jpg" alt="" loading="lazy">'
    )
    assert render("[img=200,100]https://example.com/a.jpg[/img]") == (
        '<img src="https://example.com/a.jpg" alt="" width="200" height="100" loading="lazy">'
    )


def test_relative_image_becomes_root_relative():
    html = render("[img]data/attachment/forum/201106/10/a.jpg[/img]")
    assert 'src="/data/attachment/forum/201106/10/a.jpg"' in html


def test_image_spanning_lines_or_with_tags_stays_text():
    assert "<img" not in render("[img]http://e.com/\na.png[/img]")
    assert "<img" not in render("[img][b]http://e.com/a.png[/b][/img]")


def test_attach_renders_a_placeholder():
    assert render("[attach]123[/attach]") == (
        '<span class="attach-placeholder" data-aid="123">附件 123</span>'
    )


def test_attach_with_non_numeric_id_stays_text():
    assert render("[attach]x1[/attach]") == "[attach]x1[/attach]"


@pytest.mark.parametrize(
    "source",
    [
        "[media=mp4,400,300]http://example.com/v.mp4[/media]",
        "[audio]http://example.com/a.mp3[/audio]",
        "[flash=400,300]http://example.com/f.swf[/flash]",
        "[flash]http://example.com/f.swf[/flash]",
    ],
)
def test_media_audio_flash_become_plain_links(source):
    html = render(source)
    assert html.startswith('<a href="http://example.com/')
    assert "<object" not in html and "<embed" not in html and "<iframe" not in html
