"""The viewer: who is asking, decided once per request.

:class:`Viewer` gathers what the permission rules read about the person making the
request — their member row (or a guest), usergroup and its rights (cached, no query), the
boards they moderate (one query, asked lazily), the boards they unlocked by password this
session and their ban — so a page asks each at most once however many permission
functions it calls. :class:`luntan.permissions.middleware.ViewerMiddleware` puts one on
``request.viewer`` (built lazily); views pass ``request.viewer`` to the functions of
:mod:`luntan.permissions`.

During the move from user-taking functions, every permission function also accepts a
``User`` / ``AnonymousUser`` (or ``None`` for a guest) and turns it into a fresh
:class:`Viewer` through :func:`as_viewer` (no session: boards unlocked by password are
then not known, and the moderated boards are asked again per call).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from luntan.accounts.groups import STAFF_GROUPS, GroupId
from luntan.accounts.models import User
from luntan.core.precompiled import PrecompiledObjects
from luntan.permissions.groups import GroupRights, group_rights
from luntan.permissions.registry import providers


# The boards a member moderates (the moderators table), compiled once per process: asked
# on every page a member views (posting rights, moderation links).
def _moderated_query(values: dict[str, int]) -> Any:
    through = cast(Any, User._meta.get_field("moderated_boards")).through
    return through._default_manager.filter(user_id=values["pk"]).only("board_id")


_MODERATED = PrecompiledObjects(_moderated_query, slots=("pk",))


class Viewer:
    """One request's viewer (see the module docstring).

    ``user``: the member or an ``AnonymousUser``; ``unlocked_boards``: ``{board id (str):
    password fingerprint}`` from the session (:mod:`luntan.permissions.passwords`);
    ``unlocked_posts``: the same for password posts (密码帖,
    :mod:`luntan.permissions.post_passwords`); ``ip``: the client address
    (``REMOTE_ADDR``) or ``None``.
    """

    def __init__(
        self,
        user: Any = None,
        *,
        unlocked_boards: dict[str, str] | None = None,
        unlocked_posts: dict[str, str] | None = None,
        ip: str | None = None,
    ) -> None:
        self.user: User | AnonymousUser = user if user is not None else AnonymousUser()
        self.unlocked_boards: dict[str, str] = dict(unlocked_boards or {})
        self.unlocked_posts: dict[str, str] = dict(unlocked_posts or {})
        self.ip = ip

    def __repr__(self) -> str:
        return f"<Viewer {self.pk or 'guest'} group={self.group_id}>"

    @cached_property
    def is_authenticated(self) -> bool:
        """True for a signed-in member."""
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def member(self) -> User | None:
        """The signed-in member; ``None`` for a guest."""
        user = self.user
        return user if user.is_authenticated else None

    @property
    def pk(self) -> int | None:
        """The member's id; ``None`` for a guest."""
        return self.user.pk if self.is_authenticated else None

    @property
    def is_active(self) -> bool:
        """False for a locked account (and guests)."""
        return self.is_authenticated and bool(self.user.is_active)

    @cached_property
    def group_id(self) -> int:
        """The usergroup whose rights apply: 游客 (7) for a guest."""
        member = self.member
        if member is None:
            return int(GroupId.GUEST)
        # django-stubs types a foreign key with a default as nullable; User.group is NOT NULL.
        return cast(int, member.group_id)

    @cached_property
    def rights(self) -> GroupRights:
        """The group's :class:`~luntan.permissions.groups.GroupRights` (cached, no query)."""
        return group_rights(self.group_id)

    @cached_property
    def is_admin(self) -> bool:
        """True for superusers and 管理员 (group 1)."""
        if not self.is_authenticated:
            return False
        return bool(self.user.is_superuser or self.group_id == GroupId.ADMIN)

    @cached_property
    def is_staff_moderator(self) -> bool:
        """True for superusers, 管理员 and 超级版主: they see every board and moderate
        everywhere (no query)."""
        if not self.is_authenticated:
            return False
        return bool(self.user.is_superuser or self.group_id in STAFF_GROUPS)

    @cached_property
    def moderated_board_ids(self) -> frozenset[int]:
        """Ids of the boards this member moderates as a board's own 版主 (one query,
        asked once; empty for guests; staff moderators are not listed board by board)."""
        member = self.member
        if member is None:
            return frozenset()
        return frozenset(row.board_id for row in _MODERATED.fetch(pk=member.pk))

    @cached_property
    def board_access(self) -> dict[int, dict[str, int]]:
        """The member's per-board overrides (访问权限, Discuz! ``forum_access``):
        ``{board id: {right: -1 | 1}}`` with only the rights that are overridden (names of
        ``BoardAccess.RIGHTS``). No query unless the member's ``board_access_masks`` flag
        (on the member row already loaded) says they have one; then one, asked once."""
        member = self.member
        if member is None or not getattr(member, "board_access_masks", False):
            return {}
        from luntan.boards.models import BoardAccess

        found: dict[int, dict[str, int]] = {}
        for row in BoardAccess.objects.filter(user_id=member.pk).values(
            "board_id", *BoardAccess.RIGHTS
        ):
            rights = {k: v for k, v in row.items() if k != "board_id" and v}
            if rights:
                found[row["board_id"]] = rights
        return found

    def access_override(self, board: Any, right: str) -> int:
        """The member's override of ``right`` (``"allow_view"``, ``"allow_post"``,
        ``"allow_reply"``, ``"allow_download"``, ``"allow_upload"``) on ``board``: 1
        allowed, -1 refused, 0 not overridden (guests, most members: no query)."""
        access = self.board_access
        if not access:
            return 0
        return access.get(board.pk, {}).get(right, 0)

    def moderates(self, board: Any) -> bool:
        """True when the viewer moderates ``board``: staff, or one of its own moderators
        (:attr:`moderated_board_ids`, one query per request)."""
        if not self.is_authenticated:
            return False
        return self.is_staff_moderator or board.pk in self.moderated_board_ids

    @cached_property
    def ban(self) -> Any:
        """The member's active ban (``luntan.bans`` through :mod:`luntan.permissions.
        registry`; one query), ``None`` for a guest or a member without one."""
        return providers.active_ban(self.user) if self.is_authenticated else None

    @cached_property
    def ip_banned(self) -> bool:
        """Whether the request's IP address is banned (cached list, no query)."""
        return bool(self.ip) and providers.ip_banned(self.ip)


class ViewerRequest(HttpRequest):
    """The type of a request that went through
    :class:`~luntan.permissions.middleware.ViewerMiddleware` (every request of the site):
    annotate a view's ``request`` with it to read ``request.viewer`` (a lazily built
    :class:`Viewer`)."""

    viewer: Viewer


#: What permission functions accept while call sites move to :class:`Viewer`: a Viewer,
#: a ``User``/``AnonymousUser`` or ``None`` (typed loosely until the move is done).
ViewerLike = Any


def as_viewer(who: ViewerLike) -> Viewer:
    """``who`` as a :class:`Viewer`: a Viewer (also the lazy ``request.viewer``) as is; a
    ``User``/``AnonymousUser`` or ``None`` (a guest) wrapped in a new one (no session
    state: see the module docstring)."""
    if isinstance(who, Viewer):
        return who
    return Viewer(who)
