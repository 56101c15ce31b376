"""WCAG 2.1 AA contrast of the site's theme colours, read from luntan.css.

The colours are the CSS custom properties of ``:root`` (light) and ``:root[data-theme="dark"]``
(dark); the ``prefers-color-scheme: dark`` block must repeat the dark values exactly. Setting a
low-contrast colour in luntan.css makes these tests fail. Rule source: WCAG 2.1 success
criteria 1.4.3 (4.5:1 for body text, 3:1 for large text) and 1.4.11 (3:1 for UI components),
relative luminance and contrast ratio as defined in WCAG 2.1 §"relative luminance".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static" / "core" / "luntan.css"

# (foreground, background, minimum ratio, what it is)
PAIRS = [
    ("--text", "--bg-box", 4.5, "body text on a box"),
    ("--text", "--bg-page", 4.5, "body text on the page"),
    ("--text", "--bg-head", 4.5, "box titles"),
    ("--text", "--bg-soft", 4.5, "text on soft rows"),
    ("--text-2", "--bg-box", 4.5, "secondary text"),
    ("--text-2", "--bg-head", 4.5, "secondary text in box titles"),
    ("--muted", "--bg-box", 4.5, "muted small text (dates, counts)"),
    ("--muted", "--bg-page", 4.5, "muted text on the page (crumbs)"),
    ("--link", "--bg-box", 4.5, "links"),
    ("--link", "--bg-head", 4.5, "links in box titles"),
    ("--link-hover", "--bg-box", 4.5, "hovered links"),
    ("--btn-fg", "--btn-bg", 4.5, "button labels"),
    ("--btn-fg", "--btn-hover", 4.5, "hovered button labels"),
    ("--btn-fg", "--nav-bg", 4.5, "navigation band"),
    ("--btn-bg", "--bg-box", 3.0, "button outline against a box (UI)"),
    ("--text", "--ins-bg", 4.5, "text added in an edit-history diff"),
    ("--text", "--del-bg", 4.5, "text removed in an edit-history diff"),
    # notices, errors and accents of the moderation, account and 管理中心 stylesheets
    ("--ok", "--bg-box", 4.5, "success text (health checks)"),
    ("--text", "--ok-bg", 4.5, "text in a success notice (messages, 已完成)"),
    ("--err", "--bg-box", 4.5, "error text (form errors, failed checks)"),
    ("--err", "--bg-page", 4.5, "error text on the page"),
    ("--text", "--err-bg", 4.5, "text in an error box"),
    ("--warn-text", "--warn-bg", 4.5, "moderation bar and 站点关闭 reminder accent"),
    ("--text", "--warn-bg", 4.5, "text in the moderation bar and notices"),
    ("--muted", "--warn-bg", 4.5, "banned-post notice"),
    ("--muted", "--bg-soft", 4.5, "help text on soft rows"),
    ("--link", "--bg-soft", 4.5, "links and 管理中心 counts on soft cards"),
    ("--text", "--bg-soft", 4.5, "管理中心 tabs"),
    ("--chart-bar", "--bg-box", 3.0, "chart bars (graphics)"),
    ("--chart-bar-alt", "--bg-box", 3.0, "busiest-boards chart bars (graphics)"),
]

#: The feature stylesheets drawn on the theme: every colour they set must be one of the
#: custom properties above (checked by the pairs), save these literals (brand borders of
#: the social log-in buttons, white frames over photos and QR codes).
THEMED_SHEETS = [
    Path(__file__).resolve().parents[2] / app / "static" / app / name
    for app, name in (
        ("moderation", "mod.css"),
        ("accounts", "accounts.css"),
        ("admincenter", "admincenter.css"),
    )
]
ALLOWED_LITERALS = {"#12b7f5", "#2aae67", "#e6162d", "#fff"}


def _block(css: str, selector: str) -> dict[str, str]:
    """The custom properties (name → colour) of the first rule whose selector is ``selector``."""
    match = re.search(re.escape(selector) + r"\s*\{([^{}]*)\}", css)
    assert match, f"luntan.css has no {selector} rule"
    return dict(re.findall(r"(--[a-z0-9-]+)\s*:\s*([^;]+);", match.group(1)))


def _themes() -> dict[str, dict[str, str]]:
    css = CSS.read_text(encoding="utf-8")
    return {
        "light": _block(css, ":root"),
        "dark": _block(css, ':root[data-theme="dark"]'),
        "system-dark": _block(css, ':root:not([data-theme="light"])'),
    }


def _rgb(value: str) -> tuple[int, int, int]:
    value = value.strip().lower()
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", value)
    assert m, f"theme colours must be #rgb/#rrggbb, got {value!r}"
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def luminance(value: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour ``#rgb``/``#rrggbb``: 0.0 (black)–1.0."""

    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(value)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two colours, 1.0–21.0."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)  # the classic near-miss
    assert contrast("#767676", "#fff") >= 4.5


def test_system_dark_repeats_the_dark_theme():
    themes = _themes()
    assert themes["system-dark"] == themes["dark"]
    assert set(themes["dark"]) == set(themes["light"])


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("fg", "bg", "minimum", "what"), PAIRS)
def test_theme_pair_meets_wcag_aa(theme, fg, bg, minimum, what):
    colours = _themes()[theme]
    ratio = contrast(colours[fg], colours[bg])
    assert ratio >= minimum, (
        f"{theme}: {what} ({fg} {colours[fg]} on {bg} {colours[bg]}) is {ratio:.2f}:1, "
        f"WCAG AA needs {minimum}:1"
    )


@pytest.mark.parametrize("sheet", THEMED_SHEETS, ids=lambda p: p.name)
def test_feature_stylesheets_use_the_theme_colours(sheet):
    """mod.css, accounts.css and admincenter.css take their colours from the theme's custom
    properties (so dark mode and the contrast pairs above cover them): no other colour
    literal, and every property they use is defined in both themes."""
    css = sheet.read_text(encoding="utf-8")
    literals = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{3,6}\b", css)}
    assert literals <= ALLOWED_LITERALS, f"{sheet.name}: {sorted(literals - ALLOWED_LITERALS)}"
    assert not re.search(r"(?<![-\w])(?:color|background|border[\w-]*)\s*:\s*(?:rgb|hsl)", css)
    used = set(re.findall(r"var\((--[a-z0-9-]+)\)", css))
    themes = _themes()
    assert used, sheet.name
    assert used <= set(themes["light"]) and used <= set(themes["dark"]), sorted(
        used - set(themes["dark"])
    )


def test_a_low_contrast_colour_is_caught():
    """The parser reads the real block, so a pale text colour in luntan.css would fail above."""
    css = CSS.read_text(encoding="utf-8").replace("--text: #333;", "--text: #bbb;", 1)
    colours = _block(css, ":root")
    assert colours["--text"] == "#bbb"
    assert contrast(colours["--text"], colours["--bg-box"]) < 4.5


def test_site_stylesheet_has_no_light_only_backgrounds_or_dim_text():
    """Outside the theme blocks, luntan.css sets no pale background literal (light text
    would sit on it in dark mode) and no text colour that fails AA on the dark theme's
    boxes: such colours are theme properties. Brand accents (the orange of 楼主 and
    today's counts, tag and button fills under white text) are checked here too."""
    css = CSS.read_text(encoding="utf-8")
    rules = re.sub(r":root[^{]*\{[^{}]*\}", "", css)
    rules = re.sub(r"@media \(prefers-color-scheme: dark\)\s*\{[^{}]*\{[^{}]*\}\s*\}", "", rules)
    dark_box = _themes()["dark"]["--bg-box"]
    pale, dim = [], []
    for prop, value in re.findall(r"(?<![-\w])(background(?:-color)?|color)\s*:\s*([^;}]+)", rules):
        for literal in re.findall(r"#[0-9a-fA-F]{3,6}\b", value):
            if prop.startswith("background") and luminance(literal) > 0.8:
                pale.append(literal)
            if prop == "color" and literal.lower() != "#fff" and contrast(literal, dark_box) < 4.5:
                dim.append(literal)
    assert not pale, f"pale background literals in luntan.css: {pale}"
    assert not dim, f"text colours below AA on the dark theme: {dim}"
