"""Small reads for other apps' pages."""

from __future__ import annotations

from luntan.moderation.models import MergedThread


def merged_into(thread_id: int) -> int | None:
    """The thread that ``thread_id`` was merged into (合并), following chains; ``None`` if
    it was not merged. One query (the merge service re-points older records)."""
    return (
        MergedThread.objects.filter(source_id=thread_id).values_list("target_id", flat=True).first()
    )
