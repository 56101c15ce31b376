"""XSS attempts through every tag that takes a URL or a style value, and through Markdown.

Each case asserts the output has no script element, no event-handler attribute and no
javascript:/data:/vbscript: URL in href or src (see ``safety.assert_safe_html``).
"""

import pytest

from luntan.markup import render
from luntan.markup.tests.safety import assert_safe_html
from luntan.markup.urls import safe_url

EVIL_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#9;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java%0ascript:alert(1)",
    "java\tscript:alert(1)",
    "ja\u200bvascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "//evil.example/x.js",
    "/\\evil.example",
    "\\\\evil.example",
    '" onmouseover="alert(1)',
    'http://x.example/" onmouseover="alert(1)',
    "' onerror='alert(1)",
]


@pytest.mark.parametrize("url", EVIL_URLS)
def test_safe_url_rejects_scripting_and_protocol_relative_urls(url):
    assert safe_url(url) is None


@pytest.mark.parametrize("url", EVIL_URLS)
def test_javascript_url_in_url_tag_is_dropped(url):
    for source in (f"[url={url}]点我[/url]", f"[url]{url}[/url]"):
        html = render(source)
        assert_safe_html(html)
        assert "<a " not in html


@pytest.mark.parametrize("url", EVIL_URLS)
def test_javascript_url_in_img_tag_is_dropped(url):
    html = render(f"[img]{url}[/img] [img=10,10]{url}[/img]")
    assert_safe_html(html)
    assert "<img" not in html


@pytest.mark.parametrize("url", EVIL_URLS)
def test_unsafe_url_in_media_tags_is_dropped(url):
    html = render(f"[media=mp4,1,1]{url}[/media][audio]{url}[/audio][flash]{url}[/flash]")
    assert_safe_html(html)
    assert "<a " not in html


@pytest.mark.parametrize("url", EVIL_URLS)
def test_unsafe_url_in_quote_header_is_dropped(url):
    html = render(
        f"[quote][size=2][url={url}][color=#999999]甲 发表于 今天[/color][/url][/size]\nx[/quote]"
    )
    assert_safe_html(html)
    assert "<a " not in html


@pytest.mark.parametrize(
    "source",
    [
        "[email]javascript:alert(1)//@x.cn[/email]",
        "[email=javascript:alert(1)]x[/email]",
        '[email]a@b.cn" onmouseover="alert(1)[/email]',
        '[email=a@b.cn" onclick="x]y[/email]',
    ],
)
def test_email_tag_cannot_carry_script(source):
    assert_safe_html(render(source))


@pytest.mark.parametrize(
    "source",
    [
        "[color=red;background:url(javascript:alert(1))]x[/color]",
        '[color=red" onmouseover="alert(1)]x[/color]',
        "[color=expression(alert(1))]x[/color]",
        "[backcolor=url(javascript:alert(1))]x[/backcolor]",
        "[size=7;background:url(javascript:alert(1))]x[/size]",
        '[size=12px" onmouseover="alert(1)]x[/size]',
        "[font=x;background-image:url(javascript:alert(1))]x[/font]",
        '[font=Arial" onmouseover="alert(1)]x[/font]',
        "[font=\\6a avascript]x[/font]",
        '[align=center" onclick="alert(1)]x[/align]',
        "[table=50%,red;background:url(javascript:x)][tr][td]x[/td][/tr][/table]",
        "[tr=url(javascript:x)][td]x[/td][/tr]",
        '[list=1" onclick="x][*]a[/list]',
    ],
)
def test_style_arguments_cannot_inject_css_or_attributes(source):
    assert_safe_html(render(source))


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[quote]<script>alert(1)</script>[/quote]",
        "[quote]<img src=x onerror=alert(1)>[/quote]",
        '[b]<a href="javascript:alert(1)">x</a>[/b]',
        "[code]</code></pre><script>alert(1)</script>[/code]",
        "[hide]<script>alert(1)</script>[/hide]",
        '[attach]1" onmouseover="alert(1)[/attach]',
        "<svg onload=alert(1)>",
        "<iframe src=javascript:alert(1)>",
        "[url=http://ok.example]<style>*{x:y}</style>[/url]",
    ],
)
def test_raw_html_in_bbcode_is_escaped(source):
    html = render(source)
    assert_safe_html(html)
    assert "<svg" not in html and "<iframe" not in html and "<style" not in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        '![x](http://ok.example/a.png" onerror="alert(1))',
        '[x](http://ok.example " onmouseover="alert(1)")',
        '[x](http://ok.example "<script>alert(1)</script>")',
        "![<script>alert(1)</script>](http://ok.example/a.png)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](//evil.example)",
        "```html\n<script>alert(1)</script>\n```",
    ],
)
def test_markdown_xss_attempts_are_neutralised(source):
    assert_safe_html(render(source, "markdown"))


def test_sanitiser_removes_what_a_renderer_bug_could_let_through():
    from luntan.markup.sanitize import sanitize_html

    html = sanitize_html(
        '<a href="javascript:alert(1)" onclick="x" style="position:fixed">a</a>'
        "<script>alert(1)</script><iframe src=x></iframe><object data=x></object>"
        "<form action=x><input name=y></form><svg><script>x</script></svg>"
        '<img src="x.png" onerror="alert(1)"><span style="color:red;background:url(x)">s</span>'
        '<div class="hide-box evil">d</div>'
    )
    assert_safe_html(html)
    assert html == (
        '<a rel="nofollow noopener ugc">a</a><img src="/x.png" loading="lazy">'
        '<span style="color:red">s</span><div class="hide-box">d</div>'
    )


def test_sanitiser_text_cannot_break_out_of_a_malformed_attribute():
    from luntan.markup.sanitize import sanitize_html

    html = sanitize_html('<a title="x>y" onclick="alert(1)">t</a><b>"q"</b>')
    assert_safe_html(html)
    assert "onclick" not in html
