"""Import Discuz! X3.4 polls (投票): ``forum_poll`` (one per ``special = 1`` thread),
``forum_polloption`` and ``forum_pollvoter`` → :mod:`luntan.polls` through
:func:`luntan.polls.services.import_polls` (one transaction a page of polls).

Mapping: ``multiple``/``maxchoices`` → ``max_choices`` (single choice 1; multiple with
``maxchoices`` 0 = every option), ``expiration`` (0 = never) → ``expires_at``,
``visible`` → ``results_before_vote``, ``overt`` → ``public_voters``; change of vote
stays off (Discuz! has none). Option texts are stored through ``dhtmlspecialchars``
(entities decoded here). Votes: ``forum_pollvoter.options`` (tab-separated
``polloptionid``) of members that were imported; ``votes``/``voters`` are Discuz!'s own
counts (they include members that are gone). Polls of threads that were not imported
are skipped; image options (``forum_polloption_image``) are not imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from luntan.accounts.models import User
from luntan.polls.services import ImportedPoll, import_polls
from luntan.threads.models import Thread

from .convert import unescape_subject, unix_to_utc
from .source import DiscuzSource
from .upsert import TableStats

_POLLS = (
    "SELECT tid, overt, multiple, visible, maxchoices, expiration, voters FROM {forum_poll} "
    "WHERE tid > %s ORDER BY tid LIMIT %s"
)
_OPTIONS = (
    "SELECT polloptionid, tid, votes, displayorder, polloption FROM {forum_polloption} "
    "WHERE tid IN %s ORDER BY tid, displayorder, polloptionid"
)
_VOTERS = "SELECT tid, uid, options, dateline FROM {forum_pollvoter} WHERE tid IN %s"


def import_discuz_polls(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """Bring every poll of an imported thread over (see the module doc); ``stats``
    counts polls (``read``, ``created``, ``updated``, skipped with the reason)."""
    if not (src.has("forum_poll") and src.has("forum_polloption")):
        return
    has_voters = src.has("forum_pollvoter")
    for page in src.pages(src.sql(_POLLS), "tid", batch):
        stats.read += len(page)
        tids = [int(r["tid"]) for r in page]
        threads = {
            t["discuz_tid"]: t
            for t in Thread.objects.filter(discuz_tid__in=tids).values(
                "pk", "discuz_tid", "created"
            )
        }
        options: dict[int, list[dict]] = {}
        for row in src.dicts(src.sql(_OPTIONS), (tids,)):
            options.setdefault(int(row["tid"]), []).append(row)
        votes: dict[int, list[dict]] = {}
        if has_voters:
            for row in src.dicts(src.sql(_VOTERS), (tids,)):
                votes.setdefault(int(row["tid"]), []).append(row)
        members = _members({int(v["uid"]) for rows in votes.values() for v in rows})
        wanted = []
        for row in page:
            tid = int(row["tid"])
            thread = threads.get(tid)
            if thread is None:
                stats.skip("thread not imported")
                continue
            opts = options.get(tid, [])
            if len(opts) < 1:
                stats.skip("poll without options")
                continue
            wanted.append(_poll(row, thread, opts, votes.get(tid, []), members))
        created, updated = import_polls(wanted)
        stats.created += created
        stats.updated += updated


def _members(uids: set[int]) -> dict[int, int]:

    if not uids:
        return {}
    pairs = User.objects.filter(discuz_uid__in=uids).values_list("discuz_uid", "pk")
    return {int(uid): pk for uid, pk in pairs if uid is not None}


def _poll(
    row: dict, thread: Mapping[str, Any], opts: list[dict], voters: list[dict], members
) -> ImportedPoll:
    n = len(opts)
    if int(row["multiple"] or 0):
        max_choices = int(row["maxchoices"] or 0) or n
    else:
        max_choices = 1
    max_choices = max(1, min(max_choices, n))
    expiration = int(row["expiration"] or 0)
    seen: set[int] = set()
    vote_rows = []
    for v in sorted(voters, key=lambda v: int(v["dateline"] or 0)):
        user_id = members.get(int(v["uid"]))
        if user_id is None or user_id in seen:
            continue
        chosen = tuple(int(c) for c in str(v["options"] or "").split("\t") if c.strip().isdigit())
        if not chosen:
            continue
        seen.add(user_id)
        vote_rows.append((user_id, unix_to_utc(v["dateline"]), chosen))
    return ImportedPoll(
        thread_id=thread["pk"],
        max_choices=max_choices,
        expires_at=unix_to_utc(expiration) if expiration else None,
        results_before_vote=bool(int(row["visible"] or 0)),
        public_voters=bool(int(row["overt"] or 0)),
        voters=int(row["voters"] or 0),
        created=thread["created"],
        options=tuple(
            (
                int(o["polloptionid"]),
                i,
                unescape_subject(o["polloption"]).strip() or "-",
                int(o["votes"] or 0),
            )
            for i, o in enumerate(opts)
        ),
        votes=tuple(vote_rows),
    )
