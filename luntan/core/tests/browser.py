"""Shared set-up for browser tests (Playwright driving Debian's Chromium).

The ``browser`` fixture itself lives in the repository's root ``conftest.py`` (one
Chromium for the whole run); tests mark themselves ``@pytest.mark.browser`` and save what a
person should look at with :func:`save_screenshot`.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("LUNTAN_CHROMIUM", "/usr/bin/chromium")
# Headless Chromium as root on a machine without network: no sandbox, no GPU, and none of
# the background connections (updates, sync) that would be refused here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG of ``page`` as ``test-output/screenshots/<name>`` (``.png``
    added when missing); returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (name if name.endswith(".png") else f"{name}.png")
    page.screenshot(path=str(path), full_page=True)
    return path
