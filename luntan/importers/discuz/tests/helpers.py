"""Helpers shared by the importer tests."""

from __future__ import annotations

from luntan.accounts.models import User, UserGroup
from luntan.boards.models import Board, ThreadType
from luntan.core.models import SiteSettings
from luntan.importers.discuz.models import ImportedUserGroup, MovedThreadStub
from luntan.importers.discuz.service import ImportReport, import_site
from luntan.threads.models import Post, Thread

SNAPSHOT_MODELS = (
    SiteSettings,
    UserGroup,
    User,
    Board,
    Board.moderators.through,
    ThreadType,
    Thread,
    Post,
    ImportedUserGroup,
    MovedThreadStub,
)


def run_import(db, *, batch: int = 2000, lines: list[str] | None = None) -> ImportReport:
    """Import the Discuz! database ``db`` (a ``DiscuzDatabase``) through the service."""
    conn = db.connect()
    try:
        return import_site(
            conn, "pre_", batch=batch, progress=None if lines is None else lines.append
        )
    finally:
        conn.close()


def snapshot() -> dict[str, list[dict]]:
    """Every row of the tables the importer writes, by model, ordered by pk."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
    }
