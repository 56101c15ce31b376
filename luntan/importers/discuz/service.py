"""The Discuz! X3.4 import use case: :func:`import_site`.

One run reads a live Discuz! database and creates or updates, in this order: site
settings, usergroups, members, boards, thread types, moderators, threads, posts, and
finally the board counters. Every row is matched by its Discuz! id (``discuz_*``
columns), so a second run over the same database creates nothing and changes nothing.
Each page of rows is written in its own transaction; the database is checked before the
first write, so a wrong server, account, database or prefix writes nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Count, F, Max, Sum

from luntan.accounts.models import User
from luntan.boards.counters import rebuild_site_stats
from luntan.boards.models import Board
from luntan.core.models import SiteSettings
from luntan.core.services import raise_mobile_id_offset
from luntan.threads.counters import rebuild_day_counters, rebuild_floor_gaps
from luntan.threads.models import Thread

from .access import import_admin_groups, import_board_access
from .attachments import import_attachments
from .boards import import_boards, import_moderators, import_thread_types
from .convert import find_police_filing
from .credit_settings import import_credit_settings
from .credits import import_credit_balances
from .favorites import import_discuz_favorites
from .member_status import import_member_status
from .members import MemberImporter, import_groups
from .notifications import import_discuz_notifications
from .pms import (
    import_discuz_grouppm,
    import_discuz_legacy_pms,
    import_discuz_pm_blacklists,
    import_discuz_pms,
)
from .polls import import_discuz_polls
from .profiles import import_profiles
from .recount import compare_threads_and_boards, recount_members
from .report import unread_tables
from .sanctions import (
    import_bans,
    import_censor_words,
    import_ip_bans,
    import_post_flags,
    import_ratings,
    import_threadmod,
    import_uc_badwords,
    import_warnings,
)
from .smilies import import_bbcodes, import_smilies, rerender_imported
from .source import DiscuzSource, SourceError
from .threads import PostImporter, ThreadImporter
from .tuning import bulk_load_session
from .upsert import TableStats

DEFAULT_BATCH = 2000


@dataclass
class ImportReport:
    """The outcome of :func:`import_site`: one :class:`TableStats` per phase, in order,
    and the site's ``timeoffset`` setting (hours east of UTC, Discuz! ``common_setting``)."""

    tables: list[TableStats] = field(default_factory=list)
    timeoffset: str = ""
    #: lines "what: luntan N, Discuz! M" for counters that differ from Discuz!'s stored ones
    differences: list[str] = field(default_factory=list)
    #: ``{unprefixed table: rows}`` of the Discuz! tables this run did not read
    unread_tables: dict[str, int] = field(default_factory=dict)
    #: ``{unprefixed table: rows}`` of the Discuz! tables this run read (the phases above
    #: say what became of their rows)
    read_tables: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> TableStats:
        for stats in self.tables:
            if stats.name == name:
                return stats
        raise KeyError(name)

    @property
    def created(self) -> int:
        """Rows created over all phases."""
        return sum(s.created for s in self.tables)

    @property
    def updated(self) -> int:
        """Rows updated over all phases."""
        return sum(s.updated for s in self.tables)


def import_settings(src: DiscuzSource, stats: TableStats) -> str:
    """Copy ``common_setting`` ``bbname`` → ``SiteSettings.site_name``, ``icp`` →
    ``icp_number`` and a 公网安备 number found in any setting → ``police_filing``.

    Returns the ``timeoffset`` setting (e.g. ``"8"``), which luntan takes from the
    ``TIME_ZONE`` environment variable instead.
    """
    rows = dict(src.fetchall(src.sql("SELECT skey, svalue FROM {common_setting}")))
    stats.read += len(rows)
    site = SiteSettings.objects.filter(pk=1).first()
    values = {
        "site_name": (rows.get("bbname") or rows.get("sitename") or "").strip()[:80],
        "icp_number": (rows.get("icp") or "").strip()[:60],
        "police_filing": find_police_filing(
            [rows.get("icp", ""), *(v for k, v in sorted(rows.items()) if k != "icp")]
        )[:80],
    }
    values = {k: v for k, v in values.items() if v}
    if site is None:
        SiteSettings(**values).save()
        stats.created += 1
    else:
        changed = [k for k, v in values.items() if getattr(site, k) != v]
        if changed:
            for k in changed:
                setattr(site, k, values[k])
            site.save()
            stats.updated += 1
    return (rows.get("timeoffset") or "").strip()


def update_board_counters(boards: dict[int, int], stats: TableStats) -> None:
    """Set ``threads``, ``posts`` and last post of the imported boards from the imported
    threads, the way Discuz!'s 更新论坛统计 counts: threads in state NORMAL
    (``displayorder`` ≥ 0, moved stubs are not imported), ``posts`` = Σ(replies + 1) over
    them, last post = the NORMAL thread with the newest ``last_post_at``.
    Also raises a thread's ``max_floor`` to its highest imported floor if it is lower,
    records the imported threads' floor gaps (``rebuild_floor_gaps``), and recounts the boards' 今日/昨日 and the site's member statistics.
    """
    pks = list(boards.values())
    normal = Thread.objects.filter(board_id__in=pks, state=Thread.State.NORMAL).order_by()
    totals = {
        row["board_id"]: (row["n"], row["posts"])
        for row in normal.values("board_id").annotate(n=Count("pk"), posts=Sum(F("replies") + 1))
    }
    with transaction.atomic():
        changed = []
        for board in Board.objects.filter(pk__in=pks):
            threads, posts = totals.get(board.pk, (0, 0))
            last = (
                normal.filter(board_id=board.pk)
                .order_by("-last_post_at", "-pk")
                .values("pk", "last_post_at", "last_poster_name")
                .first()
            )
            want = {
                "threads": threads or 0,
                "posts": posts or 0,
                "last_thread_id": last["pk"] if last else None,
                "last_post_at": last["last_post_at"] if last else None,
                "last_poster_name": last["last_poster_name"] if last else "",
            }
            if any(getattr(board, k) != v for k, v in want.items()):
                for k, v in want.items():
                    setattr(board, k, v)
                changed.append(board)
        Board.objects.bulk_update(changed, list(want) if changed else ["threads"])
        stats.updated += len(changed)
        low = (
            Thread.objects.filter(board_id__in=pks, discuz_tid__isnull=False)
            .annotate(top=Max("post_set__floor"))
            .filter(top__gt=F("max_floor"))
        )
        for thread in low:
            Thread.objects.filter(pk=thread.pk).update(max_floor=thread.top)
            stats.notes["threads whose max_floor was raised"] = (
                stats.notes.get("threads whose max_floor was raised", 0) + 1
            )
    # Members and posts arrived in bulk (no signals, no services): 今日/昨日 and the
    # member statistics are recounted from the rows.
    # Discuz! positions keep the holes of posts deleted there: record them as floor gaps
    # so pages count only the floors a reader sees.
    imported = Thread.objects.filter(board_id__in=pks, discuz_tid__isnull=False).values("pk")
    gaps = rebuild_floor_gaps(imported)
    if gaps:
        stats.notes["floor gap rows written"] = stats.notes.get("floor gap rows written", 0) + gaps
    rebuild_day_counters(pks)
    rebuild_site_stats()


def max_imported_id() -> int:
    """The largest Discuz! uid, fid, tid or pid imported so far (0 when none): the mobile
    API's ids of new content start above it (``SiteSettings.mobile_id_offset``). Four
    aggregate queries over unique indexes."""
    from luntan.threads.models import Post

    found = [
        User.objects.aggregate(m=Max("discuz_uid"))["m"],
        Board.objects.aggregate(m=Max("discuz_fid"))["m"],
        Thread.objects.aggregate(m=Max("discuz_tid"))["m"],
        Post.objects.aggregate(m=Max("discuz_pid"))["m"],
    ]
    return max((n for n in found if n is not None), default=0)


def phase_totals(counts: dict[str, int]) -> dict[str, int]:
    """Rows each long phase will read, by phase name, from ``{table: rows}`` (Discuz!
    ``row_counts``): what the progress bars count to."""
    members = counts.get("common_member", 0) + counts.get("common_member_archive", 0)
    return {
        "members": members,
        "member status": members,
        "member counters": members,
        "credit balances": counts.get("common_member_count", 0)
        + counts.get("common_member_count_archive", 0),
        "threads": sum(n for t, n in counts.items() if re.fullmatch(r"forum_thread(_\d+)?", t)),
        "posts": sum(n for t, n in counts.items() if re.fullmatch(r"forum_post(_\d+)?", t)),
        "attachments": counts.get("forum_attachment", 0),
        "ratings": counts.get("forum_ratelog", 0),
        "moderation history": counts.get("forum_threadmod", 0),
        "favourites": counts.get("home_favorite", 0),
        "notifications": counts.get("home_notification", 0),
    }


def import_site(
    conn,
    prefix: str = "pre_",
    *,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[str], None] | None = None,
    attach_dir: str | None = None,
    source_charset: str | None = None,
    smiley_dir: str | None = None,
    avatar_dir: str | None = None,
) -> ImportReport:
    """Import the Discuz! X3.4 forum behind ``conn`` (a PyMySQL connection).

    ``prefix``: the table prefix (``pre_``; UCenter tables are ``<prefix>ucenter_*``).
    ``batch``: rows read and written per transaction. ``progress``: called with one line
    of text per page (counts and rows/s). ``attach_dir``: Discuz!'s ``data/attachment``
    folder holding ``forum/<file>`` (``None``: attachment files are not imported, the
    report says so). ``avatar_dir``: UCenter's ``uc_server/data/avatar`` folder
    (``None``: avatars are not imported; members with one are counted in the report).
    ``source_charset``: ``utf8``, ``gbk`` or ``big5`` (``None``: from the
    tables' declared charset; required for GBK bytes in latin1 tables, see
    :meth:`DiscuzSource.check_charset`). ``smiley_dir``: Discuz!'s
    ``static/image/smiley`` folder (``None``: smilies show as emoji). Returns an :class:`ImportReport`.
    Raises :class:`~luntan.importers.discuz.source.SourceError` before writing anything
    when the forum still holds the demo content, when the database is not a Discuz! X
    database with that prefix, or when local accounts would clash with imported member
    names.
    """
    forward = progress or (lambda line: None)
    if SiteSettings.objects.filter(pk=1, is_demo=True).exists():  # read only: no row made
        raise SourceError(
            "This forum still holds the demo content that `make run` created (its admin "
            "would clash with the imported one). Remove it with `luntan clear_demo_site` "
            "(`luntan clear_demo_site --dry-run` lists what goes; once people have posted "
            "in the demo, `luntan clear_demo_site --force` removes their posts too and "
            "keeps their accounts), then run the import again."
        )
    src = DiscuzSource(conn, prefix, source_charset=source_charset)
    src.check()
    totals = phase_totals(src.row_counts())

    def say(line: str) -> None:
        stats = getattr(line, "stats", None)
        if stats is not None and stats.total is None:
            stats.total = totals.get(stats.name)
        forward(line)

    members = MemberImporter(src, {}, batch, say)
    members.check_names()
    with bulk_load_session():
        return _import(src, members, batch, say, attach_dir, smiley_dir, avatar_dir)


def _import(src, members, batch, say, attach_dir, smiley_dir, avatar_dir) -> ImportReport:
    """The phases of :func:`import_site`, in order, once the source was checked."""
    report = ImportReport()

    stats = TableStats("settings", "common_setting")
    report.timeoffset = import_settings(src, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    # Smilies and custom BBCode before the posts: posts are rendered with them.
    stats = TableStats("smilies", "forum_imagetype, common_smiley")
    changed_markup = import_smilies(src, smiley_dir, stats)
    report.tables.append(stats.finish())
    say(stats.line())
    stats = TableStats("custom BBCode", "forum_bbcode")
    changed_markup += import_bbcodes(src, stats)
    rerender_imported(changed_markup, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats("usergroups", "common_usergroup, common_usergroup_field")
    members.groups = import_groups(src, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats("admin-group rights", "common_admingroup")
    import_admin_groups(src, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    report.tables.append(members.run())

    stats = TableStats(
        "credit settings", "common_setting extcredits/creditsformula, common_credit_rule"
    )
    import_credit_settings(src, stats, src.charset)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats("member status", "common_member(_archive) emailstatus, common_member_status")
    import_member_status(src, batch, stats, say)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats(
        "profiles and signatures",
        "common_member_field_forum sightml, common_member_profile, common_member_field_home",
    )
    avatar_stats = TableStats("avatars", "uc_server/data/avatar (--avatar-dir)")
    import_profiles(src, batch, stats, avatar_stats, say, avatar_dir)
    report.tables.append(stats.finish())
    report.tables.append(avatar_stats.finish())
    say(stats.line())
    say(avatar_stats.line())

    for name, source, step in (
        (
            "bans",
            "common_member, common_member_crime, groupterms",
            partial(import_bans, src, members.groups),
        ),
        ("IP bans", "common_banned", partial(import_ip_bans, src)),
        ("censor words", "common_word", partial(import_censor_words, src)),
        ("UCenter bad words", "ucenter_badwords", partial(import_uc_badwords, src)),
    ):
        stats = TableStats(name, source)
        step(stats)
        report.tables.append(stats.finish())
        say(stats.line())

    stats = TableStats("boards", "forum_forum, forum_forumfield")
    boards = import_boards(src, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats("thread types", "forum_threadclass")
    types = import_thread_types(src, boards, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats("moderators", "forum_moderator")
    import_moderators(src, boards, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    stats = TableStats("board access", "forum_access")
    import_board_access(src, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    report.tables.append(ThreadImporter(src, boards, types, batch, say).run())
    report.tables.append(PostImporter(src, batch, say).run())

    # Members' posts/threads from the imported rows, before the credit totals use them.
    stats = TableStats("member counters", "common_member_count (compared)")
    recount_members(src, batch, stats, report.differences)
    report.tables.append(stats.finish())
    say(stats.line())

    for name, source, step in (
        ("warnings", "forum_warning", partial(import_warnings, src)),
        ("post 屏蔽/警告", "forum_post(_N).status", partial(import_post_flags, src)),
        ("moderation history", "forum_threadmod", partial(import_threadmod, src, batch)),
        ("ratings", "forum_ratelog", partial(import_ratings, src, batch)),
        (
            "polls",
            "forum_poll, forum_polloption, forum_pollvoter",
            partial(import_discuz_polls, src, batch),
        ),
        ("favourites", "home_favorite", partial(import_discuz_favorites, src, batch)),
        (
            "notifications",
            "home_notification",
            partial(import_discuz_notifications, src, batch),
        ),
        (
            "private messages",
            "ucenter_pm_lists, ucenter_pm_members, ucenter_pm_messages_0..9, ucenter_pm_indexes",
            partial(import_discuz_pms, src, batch),
        ),
        (
            "legacy PMs",
            "pms (UCenter 1.x, when present)",
            partial(import_discuz_legacy_pms, src, batch),
        ),
        (
            "system messages",
            "common_grouppm, common_member_grouppm",
            partial(import_discuz_grouppm, src, batch),
        ),
        (
            "PM blacklists",
            "ucenter_memberfields.blacklist, ucenter_pm_blacklist",
            partial(import_discuz_pm_blacklists, src, batch),
        ),
    ):
        stats = TableStats(name, source)
        step(stats)
        report.tables.append(stats.finish())
        say(stats.line())
    stats = TableStats("attachments", "forum_attachment, forum_attachment_0..9")
    import_attachments(src, attach_dir, batch, stats, say)
    report.tables.append(stats.finish())
    say(stats.line())

    # After the ratings: the opening balance is what the ratings' ledger rows leave.
    report.tables.append(import_credit_balances(src, batch, say))

    stats = TableStats("board counters", "(computed)")
    update_board_counters(boards, stats)
    report.tables.append(stats.finish())
    say(stats.line())

    raise_mobile_id_offset(max_imported_id())
    compare_threads_and_boards(src, batch, report.differences)
    counts = src.row_counts()
    report.unread_tables = unread_tables(counts, src.read_tables)
    report.read_tables = {t: n for t, n in counts.items() if t in src.read_tables}
    return report


__all__ = ["DEFAULT_BATCH", "ImportReport", "import_site"]
