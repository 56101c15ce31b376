"""User name rules for registration (注册), in one place.

Discuz! X3.4 checks a new name in UCenter's ``uc_server/model/user.php``:

- ``check_username``: the length by ``dstrlen`` must be 3–15, and the name must not match
  ``/\\s+|^c:\\\\con\\\\con|[%,\\*\\"\\s\\<\\>\\&\\(\\)']/`` nor the "guest" pattern
  (``$guestexp``): in GBK ``\\xA1\\xA1`` (the ideographic space U+3000), ``\\xAC\\xA3``,
  ``^Guest`` and 游客 / 賓客; in UTF-8 ``\\xE3\\x80\\x80`` (U+3000), 游客, 賓客.
  ``dstrlen`` counts a multi-byte character as two, so a Discuz! name holds at most seven
  CJK characters;
- ``check_usernamecensor``: the admin's list of forbidden names (``censoruser``, wildcards);
- ``check_usernameexists``: the name must be new; MySQL's ``utf8_general_ci`` collation
  makes that check case-insensitive.

luntan keeps those rules and closes the gaps Unicode opened since:

- at least 3 by ``dstrlen`` (a CJK character counts 2, so 张三 is long enough and 王 is
  not) and at most 15 *characters* (``User.username`` is ``max_length=15``), so a Chinese
  name may have up to 15 characters where Discuz! stopped at seven;
- no whitespace of any kind (ASCII, no-break, full-width/ideographic U+3000), no control
  (Cc), format (Cf: zero-width U+200B–U+200F, U+2060, U+FEFF, bidi overrides …), private
  use, surrogate or unassigned code points, and only letters, digits and ``_ . -``
  (``luntan.accounts.models.username_validator``);
- reserved names (:data:`RESERVED`, plus ``settings.LUNTAN_RESERVED_USERNAMES``), compared
  by :func:`username_key`, names starting with ``guest`` and names containing 游客 / 賓客;
- a name is taken when its :func:`username_key` equals an existing member's: the key is
  NFKC (full width ``Ａ`` → ``A``), case folding, traditional → simplified Chinese
  (老街攝影 is 老街摄影, OpenCC ``t2s``), and a confusables skeleton
  (:data:`CONFUSABLES`: Cyrillic ``а`` → ``a``, Greek ``ο`` → ``o``, ``0`` → ``o``, ``1``/``I``
  /``i`` → ``l``, katakana ``ロ`` → 口 …), a small table after Unicode TR39's ``skeleton()``.

:func:`validate_username` raises ``ValidationError`` with a message naming the rule;
:data:`USERNAME_VALIDATORS` is what ``ACCOUNT_USERNAME_VALIDATORS`` points at; the adapter's
``clean_username`` adds the reserved-name and taken-name checks.
"""

from __future__ import annotations

import functools
import unicodedata
from functools import lru_cache

import opencc
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from luntan.accounts.models import FreedName, User, username_validator

MIN_LENGTH = 3
MAX_LENGTH = 15
#: ``User.username_key`` length (NFKC may expand a character to several).
KEY_MAX_LENGTH = 255

#: Names nobody may register (compared by :func:`username_key`, so ``ＡＤＭＩＮ`` and
#: ``аdmin`` with a Cyrillic а are reserved too). Extend with ``LUNTAN_RESERVED_USERNAMES``.
RESERVED = frozenset(
    {
        "游客",
        "访客",
        "匿名",
        "admin",
        "administrator",
        "管理员",
        "超级管理员",
        "站长",
        "版主",
        "超级版主",
        "系统",
        "系统消息",
        "system",
        "luntan",
        "论坛",
        "root",
        "guest",
        "anonymous",
        "moderator",
        "webmaster",
        "postmaster",
        "hostmaster",
        "support",
        "official",
        "官方",
        "客服",
        "null",
        "none",
        "undefined",
        "discuz",
    }
)

#: Substrings no name may contain (Discuz!'s ``$guestexp``: 游客 and its traditional 賓客).
RESERVED_PARTS = ("游客", "遊客", "賓客", "宾客")
#: Prefixes no name may start with (Discuz!'s ``^Guest``), compared on the key.
RESERVED_PREFIXES = ("guest",)

#: Code points that look like another one, mapped to it (a small TR39 ``confusables.txt``
#: subset: the Latin look-alikes in Cyrillic, Greek and Armenian, digits, and the
#: katakana that look like CJK ideographs). Applied after NFKC and case folding, so
#: full-width forms and capitals need no entry; then ``i`` becomes ``l`` (for ``I``/``l``).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "һ": "h",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "ӏ": "l",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "ѕ": "s",
    "т": "t",
    "у": "y",
    "х": "x",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ѡ": "w",
    "ү": "y",
    "ɡ": "g",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    # Armenian and others
    "օ": "o",
    "ս": "u",
    "ց": "g",
    "ı": "i",
    "ℓ": "l",
    # Digits and ASCII look-alikes
    "0": "o",
    "1": "l",
    "|": "l",
    # Katakana / CJK look-alikes
    "ロ": "口",
    "エ": "工",
    "カ": "力",
    "タ": "夕",
    "ト": "卜",
    "ニ": "二",
    "ハ": "八",
    "ー": "一",
    "〇": "o",
    "―": "一",
    "—": "一",
}
_CONFUSABLES_TABLE = str.maketrans(CONFUSABLES)
#: Multi-character look-alikes, replaced after the single characters (``rn`` → ``m``).
_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def username_key(name: str) -> str:
    """Return the comparison key of ``name``: NFKC, casefold, traditional → simplified
    Chinese (OpenCC ``t2s``, as search folds text), confusables skeleton.

    Two names with the same key are "the same name" for registration (``Admin`` /
    ``ＡＤＭＩＮ`` / ``аdmin`` / ``adm1n`` → ``admln``…; 老街攝影 / 老街摄影). The key is
    stored in ``User.username_key`` (indexed) and is at most a few characters longer
    than the name. Changing these rules needs a migration that recomputes the stored keys
    (as ``0008_username_key_fold_chinese`` did for 繁/简).
    """
    text = unicodedata.normalize("NFKC", name)
    text = text.casefold()
    if any(ord(ch) >= 0x2E80 for ch in text):  # CJK: fold 繁体 to 简体
        text = _t2s().convert(text)
    # Accents on Latin, Greek and Cyrillic letters go (é → e); kana voicing marks and
    # other scripts' marks stay (ガ is not カ).
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and kept and ord(kept[-1]) < 0x0530:
            continue
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = text.translate(_CONFUSABLES_TABLE)
    # Capital I and small l look alike in sans-serif fonts; after case folding that means
    # i and l (and 1, |) share one letter in the key.
    text = text.replace("i", "l")
    for seq, repl in _SEQUENCES:
        text = text.replace(seq, repl)
    return text


def display_width(name: str) -> int:
    """Discuz!'s ``dstrlen`` for the minimum: wide (CJK, full-width) characters count 2,
    others 1. ``张三`` is 4, ``王`` is 2, ``abc`` is 3."""
    return sum(2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1 for ch in name)


def _bad_character(name: str) -> str | None:
    """Return the first character no name may contain, or ``None``."""
    for ch in name:
        category = unicodedata.category(ch)
        if ch.isspace() or category[0] in {"Z", "C"}:  # separators, Cc Cf Cs Co Cn
            return ch
    return None


def validate_username(name: str) -> None:
    """Raise ``ValidationError`` unless ``name`` may be registered (the rules above that
    need no database: length, characters, reserved names)."""
    bad = _bad_character(name)
    if bad is not None:
        raise ValidationError(
            _("用户名不能包含空格、控制字符或不可见字符（U+%(code)04X）。"),
            code="invalid_character",
            params={"code": ord(bad)},
        )
    if len(name) > MAX_LENGTH or display_width(name) < MIN_LENGTH:
        raise ValidationError(
            _("用户名长度须为 %(min)d–%(max)d 个字符（一个汉字算两个字符起算）。"),
            code="length",
            params={"min": MIN_LENGTH, "max": MAX_LENGTH},
        )
    if name != unicodedata.normalize("NFC", name):
        raise ValidationError(_("用户名包含组合字符，请直接输入完整的字。"), code="not_nfc")
    username_validator(name)
    if is_reserved(name):
        raise ValidationError(_("该用户名是保留名称，不能注册。"), code="reserved")


def reserved_keys() -> frozenset[str]:
    """Keys of the reserved names: :data:`RESERVED` plus ``LUNTAN_RESERVED_USERNAMES``
    (computed once per distinct setting: an import checks every member's name)."""
    return _reserved_keys(tuple(getattr(settings, "LUNTAN_RESERVED_USERNAMES", ())))


@functools.lru_cache(maxsize=8)
def _reserved_keys(extra: tuple[str, ...]) -> frozenset[str]:
    return frozenset(username_key(n) for n in (*RESERVED, *extra))


@functools.lru_cache(maxsize=1)
def _reserved_prefix_keys() -> tuple[str, ...]:
    return tuple(username_key(p) for p in RESERVED_PREFIXES)


def is_reserved(name: str) -> bool:
    """True when ``name`` is reserved: its key is a reserved name's, it starts with
    ``guest`` or contains 游客 / 賓客 (Discuz!'s ``$guestexp``)."""
    key = username_key(name)
    if key in reserved_keys():
        return True
    if any(key.startswith(p) for p in _reserved_prefix_keys()):
        return True
    folded = unicodedata.normalize("NFKC", name)
    return any(part in folded for part in RESERVED_PARTS)


def is_taken(name: str, exclude_pk: int | None = None) -> bool:
    """True when an existing member's name has the same :func:`username_key` (one query
    on the indexed ``username_key`` column, plus the exact name for rows without a key),
    or a deleted member's name with that key is still reserved (one more query)."""
    from django.db.models import Q

    fill_username_keys()
    key = username_key(name)
    found = User.objects.filter(Q(username_key=key) | Q(username__iexact=name))
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.exists() or is_recently_freed(key)


def is_recently_freed(key: str) -> bool:
    """True while a deleted member's name with comparison key ``key`` is still reserved
    (:class:`luntan.accounts.models.FreedName`, ``LUNTAN_FREED_NAME_DAYS``)."""
    from django.utils import timezone

    return FreedName.objects.filter(username_key=key, reserved_until__gt=timezone.now()).exists()


def fill_username_keys(batch: int = 2000) -> int:
    """Store :func:`username_key` for members written without one (bulk imports bypass
    ``User.save``); return how many were filled. One indexed query when none is missing.

    A member whose key an earlier member already holds gets ``<key>#<id>`` (the unique
    column allows one holder; the name itself is kept)."""

    filled = 0
    while True:
        rows = list(
            User.objects.filter(username_key__isnull=True).order_by("pk").only("pk", "username")
        )[:batch]
        if not rows:
            return filled
        keys = {row.pk: username_key(row.username)[:KEY_MAX_LENGTH] or "-" for row in rows}
        held = set(
            User.objects.filter(username_key__in=set(keys.values())).values_list(
                "username_key", flat=True
            )
        )
        for row in rows:
            key = keys[row.pk]
            row.username_key = f"{key}#{row.pk}"[:KEY_MAX_LENGTH] if key in held else key
            held.add(key)
        User.objects.bulk_update(rows, ["username_key"])
        filled += len(rows)


def name_problem(name: str, exclude_pk: int | None = None) -> str | None:
    """Why ``name`` may not be given to a member (registration rules, reserved names and
    names whose key another member holds, other than member ``exclude_pk``), as the
    translated message of the first broken rule; ``None`` when it may.

    Every path that sets a name uses this or :func:`check_new_name`: sign-up (through the
    allauth adapter), the admin's rename, social sign-up and the Discuz! importer
    (:func:`key_imported_names`, which reports and keeps)."""
    try:
        check_new_name(name, exclude_pk=exclude_pk)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return None


def check_new_name(name: str, exclude_pk: int | None = None) -> None:
    """Raise ``ValidationError`` (code ``taken`` when another member's name has the same
    key) unless ``name`` obeys the registration rules. ``exclude_pk``: the member being
    renamed, whose own key does not count as taken."""
    validate_username(name)
    if is_taken(name, exclude_pk=exclude_pk):
        raise ValidationError(_("该用户名已被注册。"), code="taken")


def key_imported_names(rows: list[dict], notes: dict[str, int]) -> None:
    """Give every imported member row (``{"discuz_uid", "username", …}``) its
    ``username_key``, keeping every member: a name that breaks the registration rules is
    counted in ``notes`` (Discuz! allowed it; the member keeps it) and a name whose key an
    earlier member already holds gets ``<key>#<discuz uid>`` and is counted too. Members
    are never dropped. ``notes`` maps a reason to a count (the import report's notes)."""

    keys = {
        row["discuz_uid"]: username_key(row["username"])[:KEY_MAX_LENGTH] or "-" for row in rows
    }
    holders = dict(
        User.objects.filter(username_key__in=set(keys.values())).values_list(
            "username_key", "discuz_uid"
        )
    )
    for row in rows:
        uid = row["discuz_uid"]
        key = keys[uid]
        try:
            validate_username(row["username"])
        except ValidationError:
            reason = "names breaking the registration rules (kept)"
            notes[reason] = notes.get(reason, 0) + 1
        holder = holders.get(key, uid)
        if holder != uid:
            reason = "names clashing with another member's by case or look-alikes (kept)"
            notes[reason] = notes.get(reason, 0) + 1
            key = f"{key}#{uid}"[:KEY_MAX_LENGTH]
        else:
            holders[key] = uid
        row["username_key"] = key


#: ``ACCOUNT_USERNAME_VALIDATORS`` (allauth runs them on sign-up and social sign-up).
USERNAME_VALIDATORS = [validate_username]
