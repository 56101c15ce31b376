"""Smilies and custom BBCode tags given by the site (providers of luntan.markup)."""

from __future__ import annotations

import pytest

from luntan.markup import render
from luntan.markup import smilies as sm
from luntan.markup.bbcode import custom


@pytest.fixture
def tables():
    before = (sm._provider, custom._provider)
    table = sm.make_table(
        {
            ":)": sm.smiley_img(":)", "/media/smilies/default/smile.gif"),
            ":lol": "😂",
            "{:3_44:}": "🙂",
        }
    )
    sm.set_provider(lambda: table)
    specs = custom.make_specs(
        [
            custom.CustomTag("sup", 1, "<sup>{1}</sup>"),
            custom.CustomTag("fly", 1, '<marquee width="90%">{1}</marquee>'),
            custom.CustomTag("qq", 1, '<a href="https://wpa.qq.com/?uin={1}">QQ</a>'),
            custom.CustomTag("hl", 2, '<span style="color: red">{2}: {1}</span>'),
        ]
    )
    custom.set_provider(lambda: specs)
    yield
    sm.set_provider(before[0])
    custom.set_provider(before[1])


def test_smiley_codes_become_images_or_emoji_but_not_in_code(tables):
    html = render("hi :) :lol {:3_44:}\n[code]:)[/code] [b]:)[/b]")
    assert html.count('class="smiley"') == 2
    assert 'src="/media/smilies/default/smile.gif"' in html and 'alt=":)"' in html
    assert "😂" in html and "🙂" in html and "{:3_44:}" not in html
    assert ":)</code>" in html or ":)\n</code>" in html or ":)</pre>" in html


def test_custom_tags_safe_rendered_unsafe_as_text(tables):
    html = render("X[sup]2[/sup] [fly]飞[/fly] [qq]10001[/qq] [hl=注意]<b>x</b>[/hl]")
    assert "X<sup>2</sup>" in html
    assert "飞" in html and "marquee" not in html and "[fly]" not in html
    assert "10001" in html and "wpa.qq.com" not in html and "[qq]" not in html
    assert "注意: &lt;b&gt;x&lt;/b&gt;" in html and "color" in html


def test_a_param_inside_an_attribute_is_never_safe():
    assert custom.check_replacement('<a href="{1}">x</a>', 1) == custom.TEXT
    assert custom.check_replacement('<img src="x" onerror="alert(1)">{1}', 1) == custom.TEXT
    assert custom.check_replacement("<script>{1}</script>", 1) == custom.TEXT
    assert custom.check_replacement("<sub>{1}</sub>", 1) == custom.SAFE


def test_without_a_site_table_codes_stay_text():
    assert ":)" in render("hi :)") and "smiley" not in render("hi :)")
