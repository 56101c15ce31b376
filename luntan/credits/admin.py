"""Django admin for the credit settings: extended credits, the formula, rules with their
board overrides, rating ranges per group; the ledger and ratings are read-only."""

from django.contrib import admin

from luntan.credits.models import (
    BoardCreditRule,
    CreditLog,
    CreditRule,
    CreditSettings,
    ExtCredit,
    PostRating,
    RatePermission,
)

EXT = tuple(f"extcredits{i}" for i in range(1, 9))


@admin.register(ExtCredit)
class ExtCreditAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "unit", "enabled", "show_in_profile")
    list_editable = ("name", "unit", "enabled", "show_in_profile")

    def has_add_permission(self, request):
        return ExtCredit.objects.count() < 8

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditSettings)
class CreditSettingsAdmin(admin.ModelAdmin):
    """The formula is validated by ``CreditSettings.clean`` (a clear error on the field)."""

    list_display = ("formula",)

    def has_add_permission(self, request):
        return not CreditSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class BoardCreditRuleInline(admin.TabularInline):
    model = BoardCreditRule
    extra = 0
    autocomplete_fields = ()
    fields = ("board", *EXT)


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "action", "cycle", "cycle_time", "reward_count", "enabled", *EXT[:3])
    list_filter = ("enabled", "cycle")
    inlines = [BoardCreditRuleInline]


@admin.register(RatePermission)
class RatePermissionAdmin(admin.ModelAdmin):
    list_display = ("group", "extcredit", "min_score", "max_score", "daily_limit")
    list_filter = ("group",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditLog)
class CreditLogAdmin(_ReadOnly):
    list_display = ("created", "user", "action", "reason", *EXT[:3], "post_id")
    list_filter = ("action",)
    search_fields = ("user__username",)
    date_hierarchy = "created"


@admin.register(PostRating)
class PostRatingAdmin(_ReadOnly):
    list_display = ("created", "rater_name", "post", "extcredit", "score", "reason")
