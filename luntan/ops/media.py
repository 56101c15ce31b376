"""Moving uploaded files from the local disk into the configured upload storage (S3).

Used by ``luntan media_to_s3`` when a one-machine site moves to object storage: every file
under the old ``MEDIA_ROOT`` is copied under the same name, then the copies are counted
and their sizes compared with the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.files.storage import FileSystemStorage, Storage

from luntan.ops.backup import storage_files


class MediaMoveError(Exception):
    """The move cannot start or did not copy everything; the message says why."""


@dataclass
class MoveReport:
    """``copied``/``skipped`` (already there with the same size) file counts, ``source``:
    files found under the old folder, ``problems``: one sentence per missing or
    different copy (empty: every file is in the target)."""

    source: int = 0
    copied: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every source file is in the target with its size."""
        return not self.problems


def move_media(
    source: FileSystemStorage,
    target: Storage,
    progress: Callable[[Iterable[str], int], Iterable[str]] = lambda names, total: names,
    delete_source: bool = False,
) -> MoveReport:
    """Copy every file of ``source`` into ``target`` under the same name, then check.

    ``progress(names, total)`` wraps the iteration (a tqdm bar in the command). A file
    already in ``target`` with the same size is skipped, so a move that was interrupted can
    be run again. With ``delete_source`` a source file is removed once the check passed.
    Raises :class:`MediaMoveError` when ``target`` is the same folder as ``source``.
    """
    if isinstance(target, FileSystemStorage) and target.location == source.location:
        raise MediaMoveError(
            f"The upload storage is still the folder {source.location}: set LUNTAN_S3_BUCKET"
            " (and the other LUNTAN_S3_* variables) first, then run the move again."
        )
    names = [n for n in storage_files(source) if not n.startswith(".healthz/")]
    report = MoveReport(source=len(names))
    for name in progress(names, len(names)):
        size = source.size(name)
        if target.exists(name) and target.size(name) == size:
            report.skipped += 1
            continue
        if target.exists(name):
            target.delete(name)  # a partial copy from an interrupted run
        with source.open(name, "rb") as f:
            saved = target.save(name, f)
        if saved != name:
            report.problems.append(f"{name}: stored as {saved}")
        report.copied += 1
    for name in names:
        if not target.exists(name):
            report.problems.append(f"{name}: missing in the target")
        elif target.size(name) != source.size(name):
            report.problems.append(f"{name}: size differs in the target")
    if delete_source and report.ok:
        for name in names:
            source.delete(name)
    return report
