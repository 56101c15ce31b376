"""Moderation use cases in one import: thread tools (:mod:`luntan.moderation.threads`),
post tools, the review queue and reports (:mod:`luntan.moderation.posts`)."""

from luntan.moderation.posts import (
    approve_post,
    ban_post,
    delete_post,
    reject_post,
    report_post,
    resolve_reports,
    restore_post,
    warn_author,
)
from luntan.moderation.threads import (
    HIGHLIGHT_PALETTE,
    change_thread_type,
    close_thread,
    digest_thread,
    highlight_thread,
    merge_threads,
    move_thread,
    recycle_thread,
    restore_thread,
    split_thread,
    stick_thread,
)

__all__ = [
    "HIGHLIGHT_PALETTE",
    "approve_post",
    "ban_post",
    "change_thread_type",
    "close_thread",
    "delete_post",
    "digest_thread",
    "highlight_thread",
    "merge_threads",
    "move_thread",
    "recycle_thread",
    "reject_post",
    "report_post",
    "resolve_reports",
    "restore_post",
    "restore_thread",
    "split_thread",
    "stick_thread",
    "warn_author",
]
