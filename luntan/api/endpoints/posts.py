"""Writes through the posting pipeline (filled in by the next step)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["posting"])
