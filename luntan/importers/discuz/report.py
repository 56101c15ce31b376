"""The import report (issue 10, item 7): per Discuz! table, rows read, imported and
skipped with the reason, the counters compared with Discuz!'s stored values, and every
table of the Discuz! database that was not read at all.

:func:`render_report` turns an :class:`~luntan.importers.discuz.service.ImportReport`
into plain text (UTF-8, one table per line); ``luntan import_discuz`` prints it at the
end and writes it to the ``--report`` file. The numbers read/imported/skipped depend only
on the Discuz! database and what luntan already holds, so a rerun or a resumed run after
a kill prints the same report (``created``/``updated`` say what that run wrote).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .service import ImportReport

# Why a Discuz! table is not read, by unprefixed name or pattern (first match wins).
# Tables not listed here and not read are reported as "not imported".
NOT_READ_REASONS: tuple[tuple[str, str], ...] = (
    (r"ucenter_newpm", "new-PM flags: recomputed from ucenter_pm_members.isnew"),
    (r"ucenter_pm_.*", "private messages: this PM table is not read"),
    (r"forum_polloption_image", "poll image options: not imported yet"),
    (r"forum_attachtype", "attachment type/size limits per board: not imported yet"),
    (r"forum_threadimage", "thread cover images (derived from the attachments): rebuilt by luntan"),
    (r"forum_attachment.*", "attachments: read only with --attach-dir"),
    (r"forum_postcomment", "点评 (post comments): not imported yet"),
    (r"common_tag.*|common_tagitem", "tags: not imported yet"),
    (r"forum_sofa", "沙发 list: derived data, rebuilt by luntan"),
    (r"common_word_type", "censor word categories: luntan's censor words have none"),
    (r"forum_threadprofile", "thread page layouts (帖子页风格): luntan has its own thread page"),
    (
        r"common_session|common_cache|common_syscache|forum_threadhidelog|common_failedlogin|"
        r"common_visit|forum_spacecache|common_member_action_log|forum_rsscache|"
        r"forum_threaddisablepos|common_searchindex|common_onlinetime|common_statuser|"
        r"common_stat|forum_statlog|common_process|common_seccheck|common_secquestion|"
        r"ucenter_sqlcache|ucenter_failedlogins|ucenter_sessions|ucenter_vars|"
        r"common_devicetoken|common_cron|common_mailcron|common_mailqueue|common_remote_port|"
        r"ucenter_mailqueue|ucenter_notelist|ucenter_domains|ucenter_settings|"
        r"ucenter_applications|ucenter_admins|ucenter_feeds|ucenter_protectedmembers",
        "caches, sessions, statistics and UCenter internals: nothing to keep",
    ),
    (r"forum_post_tableid", "pid allocator: nothing to keep"),
    (r"common_district", "region list: luntan locates IPs with ip2region"),
    (
        r"forum_post_moderate|forum_thread_moderate",
        "review queue: the state comes from invisible/displayorder",
    ),
    (r"common_admincp_.*", "admin-panel roles: luntan's permissions are per usergroup"),
    (r"forum_medal.*|common_medal.*", "medals: not imported yet"),
    (
        r"forum_typeoption.*|forum_typevar.*|forum_optionvalue.*",
        "分类信息 (classified info): not imported yet",
    ),
    (r"forum_onlinelist|common_friendlink", "site furniture: not imported"),
    (r"portal_.*", "portal (门户): out of scope"),
    (r"home_.*", "space/blogs/albums/friends/feeds (家园): not imported yet"),
    (r"forum_group.*|forum_forum_threadtable", "groups (群组): out of scope"),
    (r"common_plugin.*|common_pluginvar", "plugins: out of scope"),
    (
        r"common_member_profile_setting",
        "profile field settings: luntan has a fixed set of profile fields",
    ),
    (r"common_member_connect|common_connect_.*|common_uin_black", "QQ互联: not imported yet"),
    (r"common_credit_log.*", "credit history (积分记录): opening balances are imported instead"),
    (r"forum_favorite", "favourites (old table): not imported yet"),
    (
        r"common_block.*|common_diy_data|common_template.*|common_style.*|common_stylevar",
        "page layout, styles and templates: luntan has its own",
    ),
    (
        r"common_nav|common_advertisement.*|common_announcement|forum_announcement",
        "navigation, ads and announcements: not imported yet",
    ),
)

_NOT_READ = tuple((re.compile(rf"^(?:{pattern})$"), reason) for pattern, reason in NOT_READ_REASONS)


def why_not_read(table: str) -> str:
    """The reason shown for an unread Discuz! table (unprefixed name)."""
    for pattern, reason in _NOT_READ:
        if pattern.match(table):
            return reason
    return "not imported"


def render_report(report: ImportReport, *, database: str = "", when: datetime | None = None) -> str:
    """Return the import report as text (see the module docstring).

    ``database``: the Discuz! database name shown in the header; ``when``: the time of
    the run (UTC; default now). Sections: phases (one line per phase with its Discuz!
    tables, read / imported / skipped, created / updated by this run, seconds, and one
    indented line per skip reason and note), counter differences with Discuz!'s stored
    values, the tables read (with their row counts), tables not read (with their row
    counts and the reason, non-empty first; empty ones by name): every table of the
    Discuz! database is named once."""
    when = when or datetime.now(UTC)
    lines = [
        f"Discuz! import report — database {database or '?'}, {when:%Y-%m-%d %H:%M:%S} UTC",
        "",
        f"{'phase':<22} {'read':>9} {'imported':>9} {'skipped':>8} {'created':>8} "
        f"{'updated':>8} {'seconds':>8}  Discuz! tables",
    ]
    for stats in report.tables:
        lines.append(
            f"{stats.name:<22} {stats.read:>9} {stats.imported:>9} {stats.skipped:>8} "
            f"{stats.created:>8} {stats.updated:>8} {stats.seconds:>8.1f}  {stats.source or '-'}"
        )
        for reason, count in sorted(stats.notes.items()):
            lines.append(f"    {reason}: {count}")
    lines.append("")
    if report.differences:
        lines.append(
            f"Counters computed from the imported rows that differ from Discuz!'s stored "
            f"values ({len(report.differences)}; luntan's value is kept):"
        )
        lines.extend(f"    {line}" for line in report.differences)
    else:
        lines.append("Counters computed from the imported rows: all equal Discuz!'s stored values.")
    lines.append("")
    read = report.read_tables
    if read:
        lines.append(
            f"Discuz! tables read: {len(read)} (their rows are counted in the phases above)"
        )
        lines.extend(_wrap(f"{t} ({read[t]})" for t in sorted(read)))
        lines.append("")
    unread = report.unread_tables
    full = sorted((t for t, n in unread.items() if n), key=lambda t: (-unread[t], t))
    empty = sorted(t for t, n in unread.items() if not n)
    lines.append(
        f"Discuz! tables not read: {len(unread)} ({len(full)} with rows, {len(empty)} empty)"
    )
    for table in full:
        lines.append(f"    {table}: {unread[table]} rows — {why_not_read(table)}")
    if empty:
        lines.append("    empty: " + ", ".join(empty))
    return "\n".join(lines) + "\n"


def _wrap(items, width: int = 96) -> list[str]:
    """``items`` joined by ", " on lines of at most about ``width`` characters, each
    starting with ``  · `` (not the four spaces of the per-table lines below)."""
    lines: list[str] = []
    line = ""
    for item in items:
        if line and len(line) + len(item) + 2 > width:
            lines.append(f"  · {line},")
            line = item
        else:
            line = f"{line}, {item}" if line else item
    if line:
        lines.append(f"  · {line}")
    return lines


def unread_tables(all_tables: dict[str, int], read: set[str]) -> dict[str, int]:
    """``{table: rows}`` of the tables in ``all_tables`` not in ``read``. A split table
    (``forum_post_3``, ``forum_thread_1``) counts as read when it was queried itself."""
    return {t: n for t, n in all_tables.items() if t not in read}


__all__ = ["NOT_READ_REASONS", "render_report", "unread_tables", "why_not_read"]
