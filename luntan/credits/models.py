"""Credits (积分): extended credits, rules, the ledger, balances and post ratings.

Follows Discuz! X3.4's tables: ``common_setting.extcredits`` (:class:`ExtCredit`),
``common_credit_rule`` (:class:`CreditRule`), per-forum ``forum_forumfield.creditspolicy``
(:class:`BoardCreditRule`), ``common_credit_log`` (:class:`CreditLog`, here append-only and
the source of truth), ``common_member_count.extcredits1..8`` (:class:`MemberCredits`, a
stored balance rebuilt by ``luntan rebuild_credits``), ``forum_ratelog``
(:class:`PostRating`) and the usergroups' ``raterange`` (:class:`RatePermission`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from luntan.credits import formula as formula_mod

EXTCREDIT_IDS = range(1, 9)
EXT_FIELDS = tuple(f"extcredits{i}" for i in EXTCREDIT_IDS)
CREDIT_SETTINGS_CACHE_KEY = "luntan:credit-settings:v1"


class ExtAmounts(models.Model):
    """Eight amounts, one per extended credit (``extcredits1`` … ``extcredits8``)."""

    extcredits1 = models.IntegerField("extcredits1", default=0)
    extcredits2 = models.IntegerField("extcredits2", default=0)
    extcredits3 = models.IntegerField("extcredits3", default=0)
    extcredits4 = models.IntegerField("extcredits4", default=0)
    extcredits5 = models.IntegerField("extcredits5", default=0)
    extcredits6 = models.IntegerField("extcredits6", default=0)
    extcredits7 = models.IntegerField("extcredits7", default=0)
    extcredits8 = models.IntegerField("extcredits8", default=0)

    class Meta:
        abstract = True

    def deltas(self) -> dict[int, int]:
        """``{extcredit id: amount}`` for the non-zero amounts."""
        return {
            i: getattr(self, f)
            for i, f in zip(EXTCREDIT_IDS, EXT_FIELDS, strict=True)
            if getattr(self, f)
        }


class ExtCredit(models.Model):
    """One of the 8 extended credits (扩展积分); ``id`` is 1–8 (``extcredits<id>``).

    Discuz! defaults: 1 威望, 2 金钱, 3 贡献 enabled, 4–8 unused. ``unit`` is shown after
    amounts (e.g. 枚); ``show_in_profile`` lists the balance on profiles.
    """

    id = models.PositiveSmallIntegerField(
        primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    name = models.CharField(_("名称"), max_length=20, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    enabled = models.BooleanField(_("启用"), default=False)
    show_in_profile = models.BooleanField(_("在个人资料中显示"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("扩展积分")
        verbose_name_plural = _("扩展积分")

    def __str__(self) -> str:
        return self.name or f"extcredits{self.id}"

    def clean(self) -> None:
        if self.enabled and not self.name:
            raise ValidationError({"name": _("启用的积分必须有名称。")})


class CreditSettings(models.Model):
    """Site-wide credit settings, one row (pk 1): the total-credits ``formula``
    (:mod:`luntan.credits.formula`). Read it with :func:`get_credit_settings` (cached)."""

    formula = models.CharField(
        _("总积分计算公式"),
        max_length=formula_mod.MAX_LENGTH,
        default=formula_mod.DEFAULT_FORMULA,
        help_text=_(
            "可用：posts（发帖数）、threads（主题数）、digestposts（精华帖数）、"
            "extcredits1~8，整数，+ - * 和括号。"
        ),
    )

    class Meta:
        verbose_name = _("积分设置")
        verbose_name_plural = _("积分设置")

    def __str__(self) -> str:
        return self.formula

    def save(self, *args, **kwargs) -> None:  # noqa: D102 - singleton + cache
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(CREDIT_SETTINGS_CACHE_KEY)

    def clean(self) -> None:
        try:
            formula_mod.parse(self.formula)
        except formula_mod.FormulaError as exc:
            raise ValidationError({"formula": str(exc)}) from None

    @property
    def parsed(self) -> formula_mod.Formula:
        """The parsed formula (the default when the stored one is invalid)."""
        try:
            return formula_mod.parse(self.formula)
        except formula_mod.FormulaError:
            return formula_mod.parse(formula_mod.DEFAULT_FORMULA)


def get_credit_settings() -> CreditSettings:
    """The credit settings row (created with defaults when missing), cached 30 s."""
    found = cache.get(CREDIT_SETTINGS_CACHE_KEY)
    if found is None:
        found, _created = CreditSettings.objects.get_or_create(pk=1)
        cache.set(CREDIT_SETTINGS_CACHE_KEY, found, 30)
    return found


class CreditRule(ExtAmounts):
    """A credit rule (积分规则): what one ``action`` earns, how often.

    ``cycle`` as Discuz!'s ``cycletype``: 0 一次 (once ever), 1 每天 (per site-time-zone
    day), 2 整点 (per block of ``cycle_time`` hours from midnight), 3 间隔分钟 (per
    ``cycle_time`` minutes before now), 4 不限 (every time). ``reward_count``: awards per
    cycle (0 = no limit; ignored for 不限). ``extcredits1..8``: the change per award.
    """

    class Cycle(models.IntegerChoices):
        ONCE = 0, _("一次")
        DAILY = 1, _("每天")
        HOURS = 2, _("整点")
        MINUTES = 3, _("间隔分钟")
        UNLIMITED = 4, _("不限")

    action = models.CharField(_("动作"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    cycle = models.PositiveSmallIntegerField(_("奖励周期"), choices=Cycle.choices, default=4)
    cycle_time = models.PositiveIntegerField(_("间隔时间"), default=0)
    reward_count = models.PositiveIntegerField(_("奖励次数"), default=0)
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")

    def __str__(self) -> str:
        return self.name


class BoardCreditRule(ExtAmounts):
    """A board's own amounts for a rule (Discuz! 版块积分策略, ``creditspolicy``): in that
    board the rule changes ``extcredits1..8`` instead of the rule's; cycles stay the rule's."""

    board = models.ForeignKey("boards.Board", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(CreditRule, on_delete=models.CASCADE, related_name="board_rules")

    class Meta:
        verbose_name = _("版块积分规则")
        verbose_name_plural = _("版块积分规则")
        constraints = [
            models.UniqueConstraint(fields=["board", "rule"], name="board_credit_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.board_id}:{self.rule_id}"


class MemberCredits(ExtAmounts):
    """A member's stored balances (``extcredits1..8``) and digest count; always the sum of
    their :class:`CreditLog` rows (``luntan rebuild_credits`` restores that). The total
    (``User.credits``) is kept by the formula from these, ``User.posts`` and
    ``User.threads``. Written only by :mod:`luntan.credits.services`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="credit_balance",
    )
    digestposts = models.IntegerField(_("精华帖数"), default=0)

    class Meta:
        verbose_name = _("会员积分")
        verbose_name_plural = _("会员积分")

    def __str__(self) -> str:
        return str(self.user_id)

    def balances(self) -> dict[int, int]:
        """``{extcredit id: balance}`` for all 8."""
        return {i: getattr(self, f) for i, f in zip(EXTCREDIT_IDS, EXT_FIELDS, strict=True)}


class CreditLog(ExtAmounts):
    """One change of a member's credits (积分日志); rows are never updated or deleted.

    ``action`` is a rule's action (``post``, ``reply``, ``daylogin`` …) or one of
    ``rate`` (评分 received), ``revoke`` (a deleted post gives back what it earned),
    ``restore`` (a restored post or thread gets back what ``revoke`` took), ``merge``
    (a merged thread's earnings carried to the thread it joined; nets to zero),
    ``import`` (opening balance from Discuz!), ``admin`` (an adjustment).
    ``digest_delta`` moves the member's digest count (加精华/取消精华).
    ``thread_id``/``post_id`` name the object it is about (no FK: the ledger outlives it).
    ``created`` is UTC.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_logs"
    )
    action = models.CharField(_("动作"), max_length=30)
    reason = models.CharField(_("说明"), max_length=100, blank=True)
    thread_id = models.PositiveBigIntegerField(null=True, blank=True)
    post_id = models.PositiveBigIntegerField(null=True, blank=True)
    board_id = models.PositiveBigIntegerField(null=True, blank=True)
    digest_delta = models.SmallIntegerField(default=0)
    created = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("积分日志")
        verbose_name_plural = _("积分日志")
        indexes = [
            models.Index(fields=["user", "action", "created"], name="creditlog_cycle_idx"),
            models.Index(fields=["post_id"], name="creditlog_post_idx"),
            models.Index(fields=["thread_id"], name="creditlog_thread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.created:%Y-%m-%d %H:%M}"


class RatePermission(models.Model):
    """What a usergroup may rate (Discuz! ``common_usergroup_field.raterange``): scores in
    ``[min_score, max_score]`` of ``extcredit`` per rating, at most ``daily_limit`` points
    (sum of absolute scores) a site-time-zone day. No row: the group cannot rate."""

    group = models.ForeignKey("accounts.UserGroup", on_delete=models.CASCADE, related_name="+")
    extcredit = models.ForeignKey(ExtCredit, on_delete=models.CASCADE, related_name="+")
    min_score = models.SmallIntegerField(_("最小值"), default=-5)
    max_score = models.SmallIntegerField(_("最大值"), default=5)
    daily_limit = models.PositiveIntegerField(_("24小时最大评分数"), default=5)

    class Meta:
        verbose_name = _("评分权限")
        verbose_name_plural = _("评分权限")
        constraints = [
            models.UniqueConstraint(fields=["group", "extcredit"], name="rate_permission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.extcredit_id}"

    def clean(self) -> None:
        if self.min_score > self.max_score:
            raise ValidationError(_("最小值不能大于最大值。"))


class PostRating(models.Model):
    """One rating of a post (评分, Discuz! ``forum_ratelog``): ``score`` points of
    ``extcredit`` given by ``rater`` to the post's author, with a ``reason``; UTC time."""

    post = models.ForeignKey("threads.Post", on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rater_name = models.CharField(max_length=15)
    extcredit = models.PositiveSmallIntegerField()
    score = models.SmallIntegerField()
    reason = models.CharField(_("理由"), max_length=40)
    created = models.DateTimeField()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["post", "rater", "extcredit"], name="post_rating_once")
        ]
        indexes = [models.Index(fields=["rater", "created"], name="rating_rater_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} {self.score:+d}"
