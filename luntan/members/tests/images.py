"""Test images built with Pillow."""

from __future__ import annotations

import io

from PIL import Image


def two_colour_png(width: int = 300, height: int = 200) -> bytes:
    """A PNG whose left half is red and right half blue."""
    img = Image.new("RGB", (width, height), (0, 0, 255))
    img.paste((255, 0, 0), (0, 0, width // 2, height))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 64, colour=(0, 160, 0)) -> bytes:
    """A plain JPEG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()
