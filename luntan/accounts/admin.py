from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from luntan.accounts import services
from luntan.accounts.models import User, UserGroup


@admin.register(User)
class MemberAdmin(UserAdmin):
    list_display = ("username", "email", "group", "posts", "credits", "date_joined")
    list_filter = ("group", "is_staff", "is_active")
    actions = ["approve_registration"]

    @admin.action(description=_("批准注册"), permissions=["change"])
    def approve_registration(self, request, queryset):
        """Move the selected members waiting in 等待验证会员 to 新手上路."""
        moved = services.approve_members(queryset)
        self.message_user(
            request,
            ngettext("已批准 %(n)d 位会员的注册。", "已批准 %(n)d 位会员的注册。", moved)
            % {"n": moved},
            messages.SUCCESS,
        )

    if UserAdmin.fieldsets is None:  # Django's UserAdmin always declares its fieldsets
        raise ImproperlyConfigured("django.contrib.auth.admin.UserAdmin has no fieldsets")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("论坛", {"fields": ("group", "credits", "custom_title", "signature", "time_zone")}),
    )


@admin.register(UserGroup)
class UserGroupAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "kind", "credits_lower", "credits_higher", "stars")
