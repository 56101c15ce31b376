"""Censor word matching (词语过滤) and the admin import, after Discuz! X3.4's
``source/class/class_censor.php`` (learned from, not copied).

Rules are compiled once into three alternations (block, moderate) and a list of
replacements, cached (``CENSOR_CACHE_SECONDS``; dropped when a :class:`CensorWord` is
saved or deleted), so checking a post costs no query when warm.

Regular expressions (``/…/``) are user input running on every post, so
:func:`compile_find` accepts only a safe subset: at most ``REGEX_MAX_LENGTH``
characters, no back-references, no quantified group that itself holds a quantifier
(``(a+)+``, the catastrophic-backtracking shape), and the compiled pattern must finish a
hostile probe within ``REGEX_PROBE_SECONDS``. Python's ``re`` has no timeout, hence the
checks up front.

Entry points: :func:`screen_post` (thread subjects and post bodies; the posting
pipeline's screener, :mod:`luntan.censor.posting_hooks`), :func:`check_username`, :func:`screen_signature`,
:func:`import_words` (the admin's list).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luntan.censor.models import CensorWord

CENSOR_CACHE_KEY = "luntan:censor:v1"
CENSOR_CACHE_SECONDS = 300
REGEX_MAX_LENGTH = 200
WILDCARD_MAX = 99
REGEX_PROBE_SECONDS = 0.05
DEFAULT_REPLACEMENT = "***"

_WILDCARD = re.compile(r"\\\{(\d{1,2})\\\}")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
# A group holding a quantifier, itself quantified: (a+)+, (a*b?)*, (x{2,})+ …
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*(?:[*+?]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d+,)")
_PROBES = ("a" * 3000 + "!", "aa" * 1500 + "\n", "ab" * 1500 + "!", "1" * 3000 + "x", "中" * 3000)

POST_MESSAGE = gettext_noop("您的帖子包含不能发表的内容，请修改后再提交。")
EDIT_MODERATE_MESSAGE = gettext_noop("您修改的内容包含需要审核的词语，请修改后再提交。")


def compile_find(find: str) -> re.Pattern:
    """Compile a ``find`` pattern (plain, ``{n}`` wildcard or ``/regex/``) into a
    case-insensitive pattern. Raises ``ValidationError`` for an empty pattern, an invalid
    regular expression or one outside the safe subset (see module docstring)."""
    find = (find or "").strip()
    if not find:
        raise ValidationError(_("不良词语不能为空。"), code="empty")
    if len(find) > 2 and find.startswith("/") and find.endswith("/"):
        body = find[1:-1]
        if len(body) > REGEX_MAX_LENGTH:
            raise ValidationError(
                _("正则表达式不能超过 %(n)d 个字符。") % {"n": REGEX_MAX_LENGTH}, code="regex"
            )
        if _BACKREF.search(body) or _NESTED.search(body):
            raise ValidationError(
                _("正则表达式过于复杂（嵌套重复或反向引用）：%(p)s") % {"p": find}, code="regex"
            )
        try:
            pattern = re.compile(body, re.IGNORECASE)
        except re.error as exc:
            raise ValidationError(
                _("无效的正则表达式：%(p)s（%(e)s）") % {"p": find, "e": exc}, code="regex"
            ) from None
        if pattern.search("") is not None:
            raise ValidationError(
                _("正则表达式不能匹配空字符串：%(p)s") % {"p": find}, code="regex"
            )
        for probe in _PROBES:
            started = time.perf_counter()
            pattern.search(probe)
            if time.perf_counter() - started > REGEX_PROBE_SECONDS:
                raise ValidationError(_("正则表达式太慢：%(p)s") % {"p": find}, code="regex")
        return pattern
    escaped = re.escape(find)
    escaped = _WILDCARD.sub(lambda m: f".{{0,{min(int(m.group(1)), WILDCARD_MAX)}}}", escaped)
    return re.compile(escaped, re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Rules:
    """The compiled rule set: ``block``/``moderate`` alternations (``None`` when there are
    no such rules) and ``replace`` as ``[(pattern, replacement)]``."""

    block: re.Pattern | None
    moderate: re.Pattern | None
    replace: tuple


def _join(patterns: list[re.Pattern]) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE | re.DOTALL)


def rules() -> Rules:
    """The cached :class:`Rules` (one query when cold). Rows that no longer compile are
    skipped."""
    found = cache.get(CENSOR_CACHE_KEY)
    if found is not None:
        return found
    block, moderate, repl = [], [], []
    for find, action, replacement in CensorWord.objects.values_list(
        "find", "action", "replacement"
    ):
        try:
            pattern = compile_find(find)
        except ValidationError:
            continue
        if action == CensorWord.Action.BLOCK:
            block.append(pattern)
        elif action == CensorWord.Action.MODERATE:
            moderate.append(pattern)
        else:
            repl.append((pattern, replacement or DEFAULT_REPLACEMENT))
    found = Rules(_join(block), _join(moderate), tuple(repl))
    cache.set(CENSOR_CACHE_KEY, found, CENSOR_CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class Verdict:
    """What the rules say about a text: ``text`` after replacements, ``blocked``,
    ``moderate`` (send to review)."""

    text: str
    blocked: bool = False
    moderate: bool = False


def screen(text: str) -> Verdict:
    """Apply the rules to ``text`` (no query when warm)."""
    r = rules()
    if not text:
        return Verdict(text or "")
    if r.block is not None and r.block.search(text):
        return Verdict(text, blocked=True)
    moderate = r.moderate is not None and r.moderate.search(text) is not None
    for pattern, replacement in r.replace:
        text = pattern.sub(lambda _m, rep=replacement: rep, text)
    return Verdict(text, moderate=moderate)


def screen_post(subject: str | None, body):
    """Screen a thread subject (``None`` for a reply) and a post body (a
    :class:`luntan.threads.posting.PostInput`).

    Returns ``(subject, body, moderate)`` with replacements made; ``moderate`` is True
    when a 审核 word matched (the post goes to review). Raises ``ValidationError`` (code
    ``censor``, "您的帖子包含不能发表的内容…") when a 禁止 word matched either. (The
    author's markup rights are the posting pipeline's check, not the censor's.)
    """
    moderate = False
    if subject:
        verdict = screen(subject)
        if verdict.blocked:
            raise ValidationError(_(POST_MESSAGE), code="censor")
        subject, moderate = verdict.text, verdict.moderate
    verdict = screen(body.source)
    if verdict.blocked:
        raise ValidationError(_(POST_MESSAGE), code="censor")
    if verdict.text != body.source:
        body = replace(body, source=verdict.text)
    return subject, body, moderate or verdict.moderate


def screen_edit(subject: str | None, body):
    """:func:`screen_post` for an edit: returns ``(subject, body)``. An edit that would
    need review is refused instead (code ``censor_moderate``): the post is already
    public and would vanish from under its replies."""
    subject, body, moderate = screen_post(subject, body)
    if moderate:
        raise ValidationError(_(EDIT_MODERATE_MESSAGE), code="censor_moderate")
    return subject, body


def check_username(username: str) -> None:
    """Raise ``ValidationError`` when ``username`` holds any censor word (whatever its
    action: a name can't be starred out or sent to review)."""
    r = rules()
    hit = any(p is not None and p.search(username) for p in (r.block, r.moderate)) or any(
        p.search(username) for p, _rep in r.replace
    )
    if hit:
        raise ValidationError(_("用户名包含不能使用的词语。"), code="censor")


def screen_signature(text: str) -> str:
    """Return ``text`` with replacements made; raise ``ValidationError`` when it holds a
    禁止 or 审核 word (a signature has no review queue)."""
    verdict = screen(text)
    if verdict.blocked or verdict.moderate:
        raise ValidationError(_("签名包含不能发表的内容。"), code="censor")
    return verdict.text


def parse_line(line: str) -> tuple[str, str, str] | None:
    """One line of an import list (Discuz! 词语过滤 批量添加 format) as
    ``(find, action, replacement)``; ``None`` for a blank line.

    ``word`` → replace with ``***``; ``word=repl`` → replace with ``repl``;
    ``word={BANNED}`` → block; ``word={MOD}`` → moderate. A ``/regex/`` may hold ``=``:
    the split is at the last ``=`` after the closing slash.
    """
    line = line.strip()
    if not line:
        return None
    k = line.rfind("/")
    if line.startswith("/") and k > 0 and (k == len(line) - 1 or line[k + 1] == "="):
        find, replacement = line[: k + 1], line[k + 2 :].strip()
    else:
        find, _sep, replacement = line.partition("=")
        find, replacement = find.strip(), replacement.strip()
    upper = replacement.upper()
    if upper == "{BANNED}":
        return find, CensorWord.Action.BLOCK, ""
    if upper == "{MOD}":
        return find, CensorWord.Action.MODERATE, ""
    return find, CensorWord.Action.REPLACE, replacement


@dataclass
class ImportResult:
    """Counts of an import and the lines refused (``[(line number, message)]``)."""

    added: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_words(text: str, *, operator=None, overwrite: bool = True) -> ImportResult:
    """Import a list (one rule a line, :func:`parse_line`). Existing words are updated
    when ``overwrite``, else kept. Invalid patterns are reported, not imported; the rest
    is written in one transaction."""
    result = ImportResult()
    name = getattr(operator, "username", "") if operator is not None else ""
    with transaction.atomic():
        for number, raw in enumerate(text.splitlines(), 1):
            parsed = parse_line(raw)
            if parsed is None:
                continue
            find, action, replacement = parsed
            try:
                compile_find(find)
                if len(find) > 255 or len(replacement) > 255:
                    raise ValidationError(_("词语太长。"))
            except ValidationError as exc:
                result.errors.append((number, " ".join(exc.messages)))
                continue
            existing = CensorWord.objects.filter(find=find).first()
            if existing is None:
                CensorWord.objects.create(
                    find=find, action=action, replacement=replacement, operator_name=name
                )
                result.added += 1
            elif overwrite:
                existing.action, existing.replacement = action, replacement
                existing.save(update_fields=["action", "replacement"])
                result.updated += 1
    forget_rules()
    return result


def add_word(find: str, *, action: str, replacement: str = "", operator=None) -> CensorWord:
    """Add one censor word (词语过滤: 添加) and return it.

    ``find`` is a plain word, a ``{x}`` wildcard or a ``/regex/`` (checked by
    :func:`compile_find`), ``action`` one of :class:`CensorWord.Action`, ``replacement`` the
    text for ``replace``. ``operator`` (a member or None) is recorded by name. Raises
    ``ValidationError`` for a pattern that does not compile or is too long."""
    compile_find(find)
    if len(find) > 255 or len(replacement) > 255:
        raise ValidationError(_("词语太长。"))
    name = getattr(operator, "username", "") if operator is not None else ""
    with transaction.atomic():
        word = CensorWord.objects.create(
            find=find, action=action, replacement=replacement, operator_name=name
        )
    forget_rules()
    return word


def delete_word(word_id: int) -> bool:
    """Delete the censor word with primary key ``word_id``; False if it was already gone."""
    with transaction.atomic():
        deleted, _rows = CensorWord.objects.filter(pk=word_id).delete()
    forget_rules()
    return deleted > 0


def forget_rules(**_kwargs) -> None:
    """Drop the cached rules (connected to CensorWord save/delete)."""
    cache.delete(CENSOR_CACHE_KEY)


post_save.connect(forget_rules, sender=CensorWord, dispatch_uid="luntan-censor-save")
post_delete.connect(forget_rules, sender=CensorWord, dispatch_uid="luntan-censor-delete")
