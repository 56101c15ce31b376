"""Benchmark data generator: fill an empty luntan database with a large, realistic site.

``python -m bench.datagen [--quick] [--threads N] [--big-floors N] [--json PATH]`` (with
``LUNTAN_HOME``/``DATABASE_URL`` naming a throwaway database) builds categories, boards,
members, threads with Chinese subjects and BBCode posts, and one very long thread.

**Rows are written in bulk** (``bulk_create`` in large batches inside transactions, HTML
rendered once per distinct post text, counters computed in Python). That is acceptable
for a benchmark data generator only: the application itself writes every post through
:mod:`luntan.threads.services`, which keeps counters with ``F()`` updates under locks.
After writing, :func:`check_counters` recounts every stored counter from the rows, and
``luntan rebuild_counters`` (when the project has it) must leave them unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from bench import _words

DAY = 86_400.0  # seconds


@dataclass(frozen=True)
class SiteSpec:
    """How big a site to build.

    ``threads`` ordinary threads spread over ``boards`` boards (board 0, "the big board",
    gets about a third); each has ``mean_posts`` posts on average, OP included. One
    extra thread in the big board has ``big_floors`` floors. ``templates`` is the number
    of distinct post bodies (each rendered once). ``seed`` makes the site reproducible.
    """

    threads: int = 10_000
    boards: int = 10
    users: int = 2_000
    mean_posts: float = 8.0
    big_floors: int = 100_000
    small_floors: int = 20
    templates: int = 400
    seed: int = 20_240_601
    #: Share of the ordinary threads started in the last two days (today/yesterday posts).
    recent_share: float = 0.0
    #: Threads made global stickies (全局置顶, sticky 3), listed on every board's page 1.
    global_stickies: int = 0


QUICK = SiteSpec(threads=500, users=200, big_floors=5_000, templates=100)


@dataclass
class Site:
    """What was built: ids the benchmark loads and totals (times in seconds)."""

    big_board_id: int = 0
    small_thread_id: int = 0
    big_thread_id: int = 0
    small_floors: int = 0
    big_floors: int = 0
    threads: int = 0
    posts: int = 0
    users: int = 0
    boards: int = 0
    seconds: float = 0.0
    render_seconds: float = 0.0
    board_ids: list[int] = field(default_factory=list)


BOARD_NAMES = (
    "本地新闻",
    "二手市场",
    "美食天地",
    "房产家居",
    "汽车之家",
    "数码硬件",
    "亲子教育",
    "旅游摄影",
    "求职招聘",
    "站务公告",
    "情感驿站",
    "体育健身",
)
CATEGORY_NAMES = ("生活社区", "兴趣爱好", "站务管理")
THREAD_TYPE_NAMES = ("求助", "分享", "讨论", "新闻转播")
IP_PREFIXES = (58, 59, 60, 61, 110, 112, 113, 114, 115, 117, 119, 121, 122, 123, 180, 183, 202, 218, 221, 222)  # fmt: skip
CHUNK_THREADS = 1_000  # threads written per transaction
CHUNK_POSTS = 10_000  # floors of the big thread written per transaction


def _renderer():
    """Return ``(render(source) -> html, renderer_version)``; a plain fallback if absent."""
    try:
        from luntan import markup

        render, version = markup.render, markup.RENDERER_VERSION
    except (ImportError, AttributeError):
        import html

        print("note: luntan.markup.render is missing; using escaped text as HTML", flush=True)
        return (lambda s: "<p>" + html.escape(s).replace("\n", "<br>") + "</p>"), 0
    return (lambda s: render(s, "bbcode")), version


@contextlib.contextmanager
def _wide_sqlite_batches(connection):
    """Let ``bulk_create`` put ~30,000 parameters in one SQLite INSERT (Django assumes 999).

    SQLite ≥ 3.32 allows 32,766 by default; the larger batches make generation ~3× faster.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.features.max_query_params = 30_000
    try:
        yield
    finally:
        del connection.features.max_query_params


class _Builder:
    """Holds the plan of one generation run; see :func:`generate`."""

    def __init__(self, spec: SiteSpec, now: datetime) -> None:
        from luntan.iplocation import lookup_region

        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.now = now
        self.now_ts = now.timestamp()
        render, self.renderer_version = _renderer()
        started = time.perf_counter()
        sources = [_words.post_source(self.rng) for _ in range(spec.templates)]
        self.bodies = [(s, render(s)) for s in sources]
        self.render_seconds = time.perf_counter() - started
        ips = [
            f"{self.rng.choice(IP_PREFIXES)}.{self.rng.randint(1, 254)}."
            f"{self.rng.randint(1, 254)}.{self.rng.randint(1, 254)}"
            for _ in range(64)
        ]
        self.ips = [(ip, lookup_region(ip)) for ip in ips]
        self.user_ids: list[int] = []
        self.user_names: dict[int, str] = {}
        self.user_cum: list[float] = []
        self.user_posts: dict[int, int] = {}
        self.user_threads: dict[int, int] = {}
        # board id -> [threads, posts, last_ts, last_thread_id, last_poster_name]
        self.board_stats: dict[int, list] = {}

    def dt(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, UTC)

    def make_users(self) -> None:
        from django.contrib.auth.hashers import make_password

        from luntan.accounts.models import User

        unusable = make_password(None)
        for lo in range(0, self.spec.users, 50_000):  # 50,000 rows in memory at a time
            rows = [
                User(
                    username=_words.username(self.rng, i + 1),
                    password=unusable,
                    date_joined=self.dt(self.now_ts - self.rng.uniform(1, 900) * DAY),
                )
                for i in range(lo, min(lo + 50_000, self.spec.users))
            ]
            made = User.objects.bulk_create(rows, batch_size=2_000)
            self.user_ids += [u.pk for u in made]
            self.user_names.update((u.pk, u.username) for u in made)
        total = 0.0
        for rank in range(len(self.user_ids)):  # a few members write most posts (Zipf-like)
            total += 1.0 / (rank + 1) ** 0.8
            self.user_cum.append(total)

    def authors(self, k: int) -> list[int]:
        return self.rng.choices(self.user_ids, cum_weights=self.user_cum, k=k)

    def make_boards(self) -> list[int]:
        from luntan.boards.models import Board, ThreadType

        n_cat = min(len(CATEGORY_NAMES), max(1, self.spec.boards // 4))
        cats = [
            Board.objects.create(kind=Board.Kind.CATEGORY, name=CATEGORY_NAMES[i], display_order=i)
            for i in range(n_cat)
        ]
        board_ids = []
        for i in range(self.spec.boards):
            board = Board.objects.create(
                kind=Board.Kind.BOARD,
                parent=cats[i % n_cat],
                name=BOARD_NAMES[i % len(BOARD_NAMES)] + ("" if i < len(BOARD_NAMES) else str(i)),
                description=_words.sentence(self.rng),
                display_order=i,
            )
            ThreadType.objects.bulk_create(
                ThreadType(board=board, name=name, display_order=j)
                for j, name in enumerate(THREAD_TYPE_NAMES)
            )
            board_ids.append(board.pk)
            self.board_stats[board.pk] = [0, 0, 0.0, None, ""]
        self.types = {
            b: list(ThreadType.objects.filter(board_id=b).values_list("pk", flat=True))
            for b in board_ids
        }
        return board_ids

    def posts_count(self) -> int:
        """Posts (OP included) of one ordinary thread: 1 + an exponential number of replies."""
        mean_replies = max(self.spec.mean_posts - 1.0, 0.0)
        if mean_replies == 0:
            return 1
        return 1 + min(int(self.rng.expovariate(1.0 / (mean_replies + 0.5))), 500)

    def thread_plan(self, board_id: int, n_posts: int, start: float, end: float):
        """Return ``(Thread, [(floor, author_id, ts)])`` for one thread (not yet saved)."""
        times = sorted(self.rng.uniform(start, end) for _ in range(n_posts - 1))
        authors = self.authors(n_posts)
        floors = list(zip(range(1, n_posts + 1), authors, [start, *times], strict=True))
        return self.thread_for(board_id, floors), floors

    def thread_for(self, board_id: int, floors: list[tuple[int, int, float]]):
        """Return the unsaved Thread whose posts are ``floors``, counters set."""
        from luntan.threads.models import Thread

        (_, op_author, start), (_, last_author, last_ts) = floors[0], floors[-1]
        return Thread(
            board_id=board_id,
            type_id=self.rng.choice(self.types[board_id]) if self.rng.random() < 0.3 else None,
            subject=_words.subject(self.rng),
            author_id=op_author,
            author_name=self.user_names[op_author],
            created=self.dt(start),
            last_post_at=self.dt(last_ts),
            last_poster_name=self.user_names[last_author],
            views=len(floors) * self.rng.randint(3, 40),
            replies=len(floors) - 1,
            max_floor=len(floors),
            sticky=1 if self.rng.random() < 0.002 else 0,
            digest=1 if self.rng.random() < 0.01 else 0,
        )

    def write_threads(self, plans) -> None:
        """Save planned ``(Thread, floors)`` pairs and their posts; count them in memory."""
        from luntan.threads.models import Thread

        Thread.objects.bulk_create([t for t, _ in plans])
        rows = []
        for thread, floors in plans:
            self.count_thread(thread, floors)
            rows.extend(self.post_rows(thread.pk, floors))
        self.save_posts(rows)

    def count_thread(self, thread, floors) -> None:
        stats = self.board_stats[thread.board_id]
        stats[0] += 1
        stats[1] += len(floors)
        self.user_threads[thread.author_id] = self.user_threads.get(thread.author_id, 0) + 1
        (_, last_author, last_ts) = floors[-1]
        if last_ts > stats[2]:
            stats[2:5] = [last_ts, thread.pk, self.user_names[last_author]]

    def post_rows(self, thread_id: int, floors, deleted: frozenset[int] = frozenset()):
        """Yield unsaved Posts for ``floors`` (those in ``deleted`` in state DELETED);
        counts each author's visible posts."""
        from luntan.threads.models import Post

        for floor, author_id, ts in floors:
            source, html = self.rng.choice(self.bodies)
            ip, region = self.rng.choice(self.ips)
            if floor in deleted:
                yield Post(
                    thread_id=thread_id,
                    floor=floor,
                    author_id=author_id,
                    author_name=self.user_names[author_id],
                    created=self.dt(ts),
                    source=source,
                    html=html,
                    renderer_version=self.renderer_version,
                    state=Post.State.DELETED,
                )
                continue
            self.user_posts[author_id] = self.user_posts.get(author_id, 0) + 1
            yield Post(
                thread_id=thread_id,
                floor=floor,
                author_id=author_id,
                author_name=self.user_names[author_id],
                created=self.dt(ts),
                source=source,
                html=html,
                renderer_version=self.renderer_version,
                ip=ip,
                ip_region=region,
            )

    def save_posts(self, rows) -> None:
        from luntan.threads.models import Post

        Post.objects.bulk_create(rows)

    def save_counters(self) -> None:
        from luntan.accounts.models import User
        from luntan.boards.models import Board

        for board_id, (n_threads, n_posts, last_ts, last_thread, last_name) in self.board_stats.items():  # fmt: skip
            Board.objects.filter(pk=board_id).update(
                threads=n_threads,
                posts=n_posts,
                last_thread_id=last_thread,
                last_post_at=self.dt(last_ts) if last_thread else None,
                last_poster_name=last_name,
            )
        from django.db import connection

        rows = [
            (self.user_posts.get(pk, 0), self.user_threads.get(pk, 0), pk)
            for pk in self.user_ids
            if pk in self.user_posts or pk in self.user_threads
        ]
        table = connection.ops.quote_name(User._meta.db_table)
        with connection.cursor() as cursor:  # one prepared UPDATE for every member who posted
            cursor.executemany(f"UPDATE {table} SET posts = %s, threads = %s WHERE id = %s", rows)  # noqa: S608


def generate(spec: SiteSpec = SiteSpec(), *, now: datetime | None = None) -> Site:  # noqa: B008
    """Build the site of ``spec`` in the default database (which should be empty).

    Returns a :class:`Site` with the ids to load and the totals. Threads are dated over
    the last two years, the long thread over the last 400 days up to ``now`` (so its board
    shows it as the newest post). Takes about 1 s per 15,000 posts on SQLite.
    """
    from django.db import connection, transaction

    started = time.perf_counter()
    now = now or datetime.now(UTC)
    b = _Builder(spec, now)
    site = Site(render_seconds=b.render_seconds)
    with _wide_sqlite_batches(connection):
        with transaction.atomic():
            b.make_users()
            site.board_ids = b.make_boards()
        big_board = site.board_ids[0]
        weights = [1.0 / (i + 1) for i in range(len(site.board_ids))]
        boards = b.rng.choices(site.board_ids, weights=weights, k=spec.threads)
        for chunk_start in range(0, spec.threads, CHUNK_THREADS):
            plans = []
            for i in range(chunk_start, min(chunk_start + CHUNK_THREADS, spec.threads)):
                if b.rng.random() < spec.recent_share:  # today's and yesterday's activity
                    start = b.now_ts - b.rng.uniform(0.01, 1.9) * DAY
                    end = min(b.now_ts - 60, start + b.rng.uniform(0.01, 0.5) * DAY)
                else:
                    start = b.now_ts - b.rng.uniform(0.05, 730) * DAY
                    end = min(b.now_ts - 60, start + b.rng.uniform(0.01, 60) * DAY)
                if i == 0:  # the thread of the "ordinary thread page" figure
                    plans.append(b.thread_plan(big_board, spec.small_floors, start, end))
                else:
                    plans.append(b.thread_plan(boards[i], b.posts_count(), start, end))
            with transaction.atomic():
                b.write_threads(plans)
                if chunk_start == 0:
                    site.small_thread_id = plans[0][0].pk
        site.big_thread_id = _write_big_thread(b, big_board, spec.big_floors)
        with transaction.atomic():
            b.save_counters()
            _global_stickies(site.board_ids, spec.global_stickies)
        # 今日/昨日 and the member statistics: recounted from the rows just written (bulk
        # inserts send no signals and pass no service).
        from luntan.boards.counters import rebuild_site_stats
        from luntan.threads.counters import rebuild_day_counters

        rebuild_day_counters()
        rebuild_site_stats()
    site.big_board_id = big_board
    site.small_floors, site.big_floors = spec.small_floors, spec.big_floors
    site.threads = spec.threads + 1
    site.posts = sum(s[1] for s in b.board_stats.values())
    site.users, site.boards = spec.users, spec.boards
    site.seconds = time.perf_counter() - started
    return site


def _global_stickies(board_ids: list[int], n: int) -> None:
    """Make the newest ordinary thread of ``n`` boards (round robin) a global sticky."""
    from luntan.threads.models import Thread

    for i in range(n):
        board_id = board_ids[(i + 1) % len(board_ids)]
        newest = (
            Thread.objects.filter(board_id=board_id, sticky=0)
            .order_by("-last_post_at")
            .values_list("pk", flat=True)
            .first()
        )
        if newest:
            Thread.objects.filter(pk=newest).update(sticky=3)


def big_thread_holes(n_floors: int) -> tuple[frozenset[int], frozenset[int]]:
    """``(gaps, deleted)`` floors of the long thread, as a real one has them: a run of 20
    floors split away in the middle plus 10 scattered gap floors (a split, an import's
    holes: no post holds them), and 50 scattered deleted replies (members don't see
    them, moderators see placeholders). None for threads under 1,000 floors. Floor 1 and
    the last floor are always visible posts."""
    if n_floors < 1000:
        return frozenset(), frozenset()
    mid = n_floors // 2
    gaps = set(range(mid, mid + 20))
    gaps.update(range(n_floors // 11, n_floors - 1, n_floors // 11))
    deleted = set(range(n_floors // 51 + 1, n_floors - 1, n_floors // 51)) - gaps
    return frozenset(gaps - {1, n_floors}), frozenset(deleted - {1, n_floors})


def _write_big_thread(b: _Builder, board_id: int, n_floors: int) -> int:
    """Write the long thread, its posts ``CHUNK_POSTS`` per transaction, with the holes
    of :func:`big_thread_holes` (gap rows recorded); return its id."""
    from django.db import transaction

    from luntan.threads.models import FloorGap

    start = b.now_ts - 400 * DAY
    step = (b.now_ts - 30 - start) / max(n_floors - 1, 1)
    authors = b.authors(n_floors)
    gaps, deleted = big_thread_holes(n_floors)
    floors = [
        (f, authors[f - 1], start + (f - 1) * step) for f in range(1, n_floors + 1) if f not in gaps
    ]
    visible = [x for x in floors if x[0] not in deleted]
    thread = b.thread_for(board_id, visible)
    thread.subject, thread.type_id, thread.sticky = (
        "【水楼】论坛十万楼纪念帖，大家来签到！",
        None,
        0,
    )
    thread.max_floor = n_floors
    with transaction.atomic():
        thread.save()
        b.count_thread(thread, visible)
        FloorGap.objects.bulk_create([FloorGap(thread_id=thread.pk, floor=f) for f in gaps])
    for lo in range(0, len(floors), CHUNK_POSTS):
        with transaction.atomic():
            chunk = floors[lo : lo + CHUNK_POSTS]
            b.save_posts(list(b.post_rows(thread.pk, chunk, deleted)))
    return thread.pk


def check_counters(limit: int = 10) -> list[str]:
    """Recount every stored counter from the rows; return up to ``limit`` mismatches.

    Checks thread replies/max_floor/last post time and poster, board threads/posts/last
    post (boards of kind ``board``; visible threads and their visible posts), and member
    posts/threads. An empty list means all counters agree with the rows.
    """
    from django.db.models import Count, Max, OuterRef, Q, Subquery

    from luntan.accounts.models import User
    from luntan.boards.models import Board
    from luntan.threads.models import Post, Thread

    visible = Q(post_set__state=Post.State.VISIBLE)
    last_name = Post.objects.filter(thread=OuterRef("pk"), state=Post.State.VISIBLE).order_by(
        "-floor"
    )
    problems: list[str] = []
    threads = Thread.objects.annotate(
        n=Count("post_set", filter=visible),
        top=Max("post_set__floor"),
        last=Max("post_set__created", filter=visible),
        last_name=Subquery(last_name.values("author_name")[:1]),
    )
    for t in threads.iterator(chunk_size=5_000):
        want = (t.n - 1, t.top, t.last, t.last_name)
        have = (t.replies, t.max_floor, t.last_post_at, t.last_poster_name)
        if want != have:
            problems.append(f"thread {t.pk}: stored {have}, rows say {want}")
    normal = Q(thread_set__state=Thread.State.NORMAL)
    for board in Board.objects.filter(kind=Board.Kind.BOARD).annotate(
        n=Count("thread_set", filter=normal, distinct=True),
        p=Count(
            "thread_set__post_set",
            filter=normal & Q(thread_set__post_set__state=Post.State.VISIBLE),
        ),
        last=Max("thread_set__last_post_at", filter=normal),
    ):
        want = (board.n, board.p, board.last)
        have = (board.threads, board.posts, board.last_post_at)
        if want != have:
            problems.append(f"board {board.pk}: stored {have}, rows say {want}")
    for user in User.objects.annotate(
        p=Count("post_set", filter=Q(post_set__state=Post.State.VISIBLE), distinct=True),
        t=Count("thread_set", filter=Q(thread_set__state=Thread.State.NORMAL), distinct=True),
    ).iterator(chunk_size=5_000):
        if (user.p, user.t) != (user.posts, user.threads):
            problems.append(f"user {user.pk}: stored {(user.posts, user.threads)}, rows say {(user.p, user.t)}")  # fmt: skip
    return problems[:limit]


def counter_snapshot() -> dict[str, list[tuple]]:
    from luntan.accounts.models import User
    from luntan.boards.models import Board
    from luntan.threads.models import Thread

    fields = {
        "thread": (Thread, ("pk", "replies", "max_floor", "last_post_at", "last_poster_name")),
        "board": (
            Board,
            ("pk", "threads", "posts", "last_thread_id", "last_post_at", "last_poster_name"),
        ),  # fmt: skip
        "user": (User, ("pk", "posts", "threads")),
    }
    return {k: list(m.objects.order_by("pk").values_list(*f)) for k, (m, f) in fields.items()}


def rebuild_changes(limit: int = 10) -> list[str] | None:
    """Run ``luntan rebuild_counters``; return rows it changed (``None``: no such command).

    A correct generator (and a correct command) gives an empty list.
    """
    from django.core.management import call_command, get_commands

    if "rebuild_counters" not in get_commands():
        return None
    before = counter_snapshot()
    call_command("rebuild_counters", verbosity=0)
    after = counter_snapshot()
    changed = []
    for kind, rows in before.items():
        for old, new in zip(rows, after[kind], strict=True):
            if old != new:
                changed.append(f"{kind} {old[0]}: {old[1:]} -> {new[1:]}")
    return changed[:limit]


def db_size_bytes() -> int:
    """Size of the database in bytes (SQLite file plus WAL after a checkpoint; PostgreSQL)."""
    from pathlib import Path

    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            name = Path(connection.settings_dict["NAME"])
            return sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return 0


def main(argv: list[str] | None = None) -> None:
    """Command line: generate into the configured (empty) database and report."""
    parser = argparse.ArgumentParser(prog="python -m bench.datagen")
    parser.add_argument("--quick", action="store_true", help="small site (smoke run)")
    parser.add_argument("--threads", type=int, help="ordinary threads")
    parser.add_argument("--big-floors", type=int, help="floors of the long thread")
    parser.add_argument("--users", type=int, help="members")
    parser.add_argument("--mean-posts", type=float, help="posts per ordinary thread (mean)")
    parser.add_argument("--recent-share", type=float, help="share of threads of the last 2 days")
    parser.add_argument("--global-stickies", type=int, help="global sticky threads")
    parser.add_argument("--templates", type=int, help="distinct post bodies")
    parser.add_argument("--no-check", action="store_true", help="skip the counter recount")
    parser.add_argument("--json", help="write the Site (ids, totals) to this file")
    args = parser.parse_args(argv)
    import django

    django.setup()
    from luntan.threads.models import Thread

    if Thread.objects.exists():
        sys.exit("datagen: the database already has threads; use an empty one")
    spec = QUICK if args.quick else SiteSpec()
    overrides = {
        "threads": args.threads,
        "big_floors": args.big_floors,
        "users": args.users,
        "mean_posts": args.mean_posts,
        "recent_share": args.recent_share,
        "global_stickies": args.global_stickies,
        "templates": args.templates,
    }
    spec = SiteSpec(**{**asdict(spec), **{k: v for k, v in overrides.items() if v}})
    site = generate(spec)
    size = db_size_bytes()
    print(
        f"generated {site.threads:,} threads, {site.posts:,} posts, {site.users:,} users in "
        f"{site.boards} boards in {site.seconds:.1f} s ({site.posts / site.seconds:,.0f} posts/s; "
        f"{spec.templates} bodies rendered in {site.render_seconds:.2f} s); "
        f"database {size / 2**20:,.1f} MiB",
        flush=True,
    )
    if args.no_check:
        if args.json:
            with open(args.json, "w") as out:
                json.dump({**asdict(site), "db_bytes": size}, out)
        return
    started = time.perf_counter()
    problems = check_counters()
    print(f"counters recounted from rows in {time.perf_counter() - started:.1f} s: "
          + ("consistent" if not problems else "MISMATCH"), flush=True)  # fmt: skip
    for line in problems:
        print("  " + line)
    started = time.perf_counter()
    changed = rebuild_changes()
    if changed is None:
        print("luntan rebuild_counters: not available yet (counters set by the generator)")
    else:
        print(f"luntan rebuild_counters ran in {time.perf_counter() - started:.1f} s: "
              + ("no counter changed" if not changed else "it CHANGED counters:"))  # fmt: skip
        for line in changed:
            print("  " + line)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({**asdict(site), "db_bytes": size}, out)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
