"""The poll use cases: :func:`create_poll` (with a new thread, through the posting
pipeline's after-write hook), :func:`vote`, and :func:`import_polls` (the Discuz!
importer's bulk entry point).

Each runs in one transaction; the counters (``PollOption.votes``, ``Poll.voters``) are
updated there with ``F()``. One vote per member under concurrency: :func:`vote` locks
the poll row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite holds the write lock from
``BEGIN IMMEDIATE``) before it looks for the member's earlier vote, and the unique
constraint on (poll, member) backs it up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.core.parsing import parse_id
from luntan.polls.models import Poll, PollChoice, PollOption, PollVoter

#: At most this many options (Discuz! ``maxpolloptions``, default 20).
MAX_OPTIONS = 20
#: Characters per option (Discuz! ``forum_polloption.polloption`` varchar(80)).
OPTION_MAX_LENGTH = 80
#: Longest voting period in days (0 = no end).
MAX_DAYS = 3650


@dataclass(frozen=True)
class PollSpec:
    """What a new poll asks for: ``options`` (2–20 texts, ≤ 80 characters each,
    distinct), ``max_choices`` (1 = single choice … number of options), ``days`` (voting
    period from the thread's time, 0 = no end), ``results_before_vote``,
    ``public_voters``, ``allow_change`` (see :class:`~luntan.polls.models.Poll`)."""

    options: tuple[str, ...]
    max_choices: int = 1
    days: int = 0
    results_before_vote: bool = True
    public_voters: bool = False
    allow_change: bool = False

    def check(self) -> None:
        """Raise ``ValidationError`` (code ``poll``) for a poll that can't be made."""
        texts = [t.strip() for t in self.options]
        if any(not t for t in texts):
            raise ValidationError(_("投票选项不能为空。"), code="poll")
        if len(texts) < 2:
            raise ValidationError(_("投票至少需要 2 个选项。"), code="poll")
        if len(texts) > MAX_OPTIONS:
            raise ValidationError(_("投票最多 %(n)d 个选项。") % {"n": MAX_OPTIONS}, code="poll")
        if len(set(texts)) != len(texts):
            raise ValidationError(_("投票选项不能重复。"), code="poll")
        for text in texts:
            if len(text) > OPTION_MAX_LENGTH:
                raise ValidationError(
                    _("投票选项不能超过 %(n)d 个字符。") % {"n": OPTION_MAX_LENGTH}, code="poll"
                )
        if not 1 <= self.max_choices <= len(texts):
            raise ValidationError(
                _("最多可选项数应在 1 到 %(n)d 之间。") % {"n": len(texts)}, code="poll"
            )
        if not 0 <= self.days <= MAX_DAYS:
            raise ValidationError(
                _("计票天数应在 0 到 %(n)d 之间。") % {"n": MAX_DAYS}, code="poll"
            )


def create_poll(thread, spec: PollSpec, *, now: datetime | None = None) -> Poll:
    """Create the poll of ``thread`` (a :class:`~luntan.threads.models.Thread` without
    one) from ``spec``; ``now`` (aware UTC; default the current time) starts the voting
    period. Runs in the caller's transaction when there is one (the posting pipeline's).
    Raises ``ValidationError`` (code ``poll``) for a bad ``spec`` or a thread that has a
    poll already."""
    spec.check()
    now = now or timezone.now()
    with transaction.atomic():
        if Poll.objects.filter(pk=thread.pk).exists():
            raise ValidationError(_("该主题已经有投票了。"), code="poll")
        poll = Poll.objects.create(
            thread=thread,
            max_choices=spec.max_choices,
            expires_at=now + timedelta(days=spec.days) if spec.days else None,
            results_before_vote=spec.results_before_vote,
            public_voters=spec.public_voters,
            allow_change=spec.allow_change,
            created=now,
        )
        PollOption.objects.bulk_create(
            PollOption(poll=poll, position=i, text=text.strip())
            for i, text in enumerate(spec.options)
        )
    return poll


@dataclass
class VoteResult:
    """What :func:`vote` did: the ``poll`` (re-read, counters current), the chosen
    ``option_ids`` and ``changed`` when an earlier vote was replaced."""

    poll: Poll
    option_ids: list[int] = field(default_factory=list)
    changed: bool = False


def _option_ids(raw: Iterable) -> list[int]:
    """The distinct option ids of ``raw`` (strings of digits or ints), in order; raises
    ``ValidationError`` (code ``option``) for anything that is not a database id
    (:func:`luntan.core.parsing.parse_id`: digits only, 1 … 2**63 - 1), so a huge number
    is a 400, not an overflow in the query."""
    ids: list[int] = []
    for item in raw:
        n = None if isinstance(item, bool) else parse_id(str(item))
        if n is None:
            raise ValidationError(_("投票选项无效。"), code="option")
        ids.append(n)
    return list(dict.fromkeys(ids))


def vote(
    poll_id: int, user, option_ids: Sequence[int | str], *, now: datetime | None = None
) -> VoteResult:
    """Record ``user``'s vote for ``option_ids`` in poll ``poll_id`` (= the thread id).

    Raises ``Poll.DoesNotExist`` for an unknown poll and ``ValidationError`` with a code:
    ``empty`` (nothing chosen), ``option`` (an option not of this poll), ``too_many``
    (more than ``max_choices``), ``ended`` (past ``expires_at``), ``voted`` (voted
    before and the poll doesn't allow a change). Who may vote at all is
    :func:`luntan.permissions.check_vote`'s question, asked by the caller. With
    ``allow_change`` a second vote replaces the first (counters moved, ``changed``).
    Nothing is written when it raises.
    """
    ids = _option_ids(option_ids)
    if not ids:
        raise ValidationError(_("请选择投票选项。"), code="empty")
    try:
        with transaction.atomic():
            poll = Poll.objects.select_for_update().get(pk=poll_id)
            now = now or timezone.now()
            if poll.expires_at is not None and poll.expires_at <= now:
                raise ValidationError(_("该投票已经结束。"), code="ended")
            if len(ids) > poll.max_choices:
                raise ValidationError(
                    _("您最多可以选择 %(n)d 项。") % {"n": poll.max_choices}, code="too_many"
                )
            if PollOption.objects.filter(poll=poll, pk__in=ids).count() != len(ids):
                raise ValidationError(_("投票选项无效。"), code="option")
            voter = PollVoter.objects.filter(poll=poll, user=user).first()
            changed = False
            if voter is not None:
                if not poll.allow_change:
                    raise ValidationError(_("您已经投过票了。"), code="voted")
                old = list(voter.choices.values_list("option_id", flat=True))
                PollOption.objects.filter(pk__in=old).update(votes=F("votes") - 1)
                voter.choices.all().delete()
                PollVoter.objects.filter(pk=voter.pk).update(created=now)
                changed = True
            else:
                voter = PollVoter.objects.create(poll=poll, user=user, created=now)
                Poll.objects.filter(pk=poll.pk).update(voters=F("voters") + 1)
            PollChoice.objects.bulk_create(PollChoice(voter=voter, option_id=i) for i in ids)
            PollOption.objects.filter(pk__in=ids).update(votes=F("votes") + 1)
    except IntegrityError:  # a second vote that slipped past the lock
        raise ValidationError(_("您已经投过票了。"), code="voted") from None
    poll.refresh_from_db()
    return VoteResult(poll, ids, changed)


def recount_poll(poll_id: int) -> bool:
    """Recompute ``voters`` and every option's ``votes`` of poll ``poll_id`` from the
    vote rows; returns True when a counter was wrong (and is now fixed)."""
    from django.db.models import Count

    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll_id)
        fixed = False
        voters = PollVoter.objects.filter(poll=poll).count()
        if voters != poll.voters:
            Poll.objects.filter(pk=poll.pk).update(voters=voters)
            fixed = True
        for option in poll.options.annotate(n=Count("choices")):
            if option.n != option.votes:
                PollOption.objects.filter(pk=option.pk).update(votes=option.n)
                fixed = True
    return fixed


@dataclass(frozen=True)
class ImportedPoll:
    """One Discuz! poll for :func:`import_polls`: the luntan ``thread_id``, the settings,
    ``options`` as ``(discuz polloptionid, position, text, votes)`` and ``votes`` as
    ``(luntan user id, time, [discuz polloptionid, …])``; ``voters`` is Discuz!'s count
    (kept: it includes members that were not imported)."""

    thread_id: int
    max_choices: int
    expires_at: datetime | None
    results_before_vote: bool
    public_voters: bool
    voters: int
    created: datetime
    options: tuple[tuple[int, int, str, int], ...]
    votes: tuple[tuple[int, datetime, tuple[int, ...]], ...]


def import_polls(polls: Sequence[ImportedPoll]) -> tuple[int, int]:
    """Create or update imported polls, their options and votes in one transaction
    (``Trust.IMPORT``-like: no permission or expiry checks). Options are matched by
    their Discuz! id, votes by (poll, member); only what changed is written, so a second
    run writes nothing. Counters are Discuz!'s (``forum_polloption.votes``,
    ``forum_poll.voters``). Returns ``(polls created, polls updated)``."""
    created = updated = 0
    if not polls:
        return 0, 0
    with transaction.atomic():
        thread_ids = [p.thread_id for p in polls]
        existing = {p.pk: p for p in Poll.objects.filter(pk__in=thread_ids)}
        fields = ("max_choices", "expires_at", "results_before_vote", "public_voters", "voters")
        new_polls, changed = [], []
        for spec in polls:
            row = existing.get(spec.thread_id)
            if row is None:
                new_polls.append(
                    Poll(
                        thread_id=spec.thread_id,
                        created=spec.created,
                        **{f: getattr(spec, f) for f in fields},
                    )
                )
            elif any(getattr(row, f) != getattr(spec, f) for f in fields):
                for f in fields:
                    setattr(row, f, getattr(spec, f))
                changed.append(row)
        Poll.objects.bulk_create(new_polls)
        if changed:
            Poll.objects.bulk_update(changed, list(fields))
        created, updated = len(new_polls), len(changed)

        all_option_ids = [o[0] for p in polls for o in p.options]
        options = {o.discuz_id: o for o in PollOption.objects.filter(discuz_id__in=all_option_ids)}
        new_options, changed_options = [], []
        for spec in polls:
            for discuz_id, position, text, votes in spec.options:
                option = options.get(discuz_id)
                want = {"position": position, "text": text[:OPTION_MAX_LENGTH], "votes": votes}
                if option is None:
                    new_options.append(
                        PollOption(poll_id=spec.thread_id, discuz_id=discuz_id, **want)
                    )
                elif any(getattr(option, k) != v for k, v in want.items()):
                    for k, v in want.items():
                        setattr(option, k, v)
                    changed_options.append(option)
        PollOption.objects.bulk_create(new_options)
        if changed_options:
            PollOption.objects.bulk_update(changed_options, ["position", "text", "votes"])
        option_pk = dict(
            PollOption.objects.filter(discuz_id__in=all_option_ids).values_list("discuz_id", "pk")
        )

        voters = {
            (v.poll_id, v.user_id): v
            for v in PollVoter.objects.filter(poll_id__in=thread_ids).prefetch_related("choices")
        }
        new_voters: list[PollVoter] = []
        wanted_choices: dict[tuple[int, int], set[int]] = {}
        for spec in polls:
            for user_id, when, chosen in spec.votes:
                key = (spec.thread_id, user_id)
                pks = [option_pk[c] for c in chosen if c in option_pk]
                if not pks:
                    continue
                wanted_choices[key] = set(pks)
                if key not in voters:
                    new_voters.append(
                        PollVoter(poll_id=spec.thread_id, user_id=user_id, created=when)
                    )
        PollVoter.objects.bulk_create(new_voters)
        fresh = set()  # keys of the voters just created (no choices yet)
        for v in new_voters:
            voters[(v.poll_id, v.user_id)] = v
            fresh.add((v.poll_id, v.user_id))
        new_choices: list[PollChoice] = []
        for key, wanted in wanted_choices.items():
            voter = voters[key]
            # A set of keys, not ``voter in new_voters``: a list scan comparing model
            # instances made this quadratic in the votes of a page.
            have = set() if key in fresh else {c.option_id for c in voter.choices.all()}
            new_choices.extend(PollChoice(voter=voter, option_id=pk) for pk in wanted - have)
        PollChoice.objects.bulk_create(new_choices)
    return created, updated
