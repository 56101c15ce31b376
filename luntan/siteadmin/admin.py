"""Django admin of members (superusers; the 管理中心 is the staff's everyday tool).

A rename obeys the registration rules and the censor words; deleting a member goes through
:func:`luntan.moderation.members.delete_member` (keep the content under 已注销用户, or
delete it with the content). It lives here, above accounts, because it calls those
services.
"""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from luntan.accounts import screening, services, usernames
from luntan.accounts.models import User
from luntan.moderation.members import delete_member

if TYPE_CHECKING:
    _ModelFormBase = forms.ModelForm  # what the mixin is mixed into, for the type checker
else:
    _ModelFormBase = object


class _NameRulesMixin(_ModelFormBase):
    """``clean_username`` with the registration rules (:func:`usernames.check_new_name`:
    length, characters, reserved names, taken by case/width/look-alike key) and the censor
    words. An unchanged name is kept as it is, even one an import brought in that breaks
    the rules today."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("username")
        if field is not None:
            field.validators = []  # the rules run in clean_username, on a changed name only

    def _get_validation_exclusions(self):
        # A private BaseModelForm method, which django-stubs does not declare.
        excluded = cast(Any, super())._get_validation_exclusions()
        excluded.add("username")  # the model's validators and uniqueness: clean_username
        return excluded

    def clean_username(self):
        name = self.cleaned_data.get("username") or ""
        instance = getattr(self, "instance", None)
        pk = instance.pk if instance is not None else None
        if (
            pk is not None
            and name == User.objects.filter(pk=pk).values_list("username", flat=True).first()
        ):
            return name
        usernames.check_new_name(name, exclude_pk=pk)
        screening.check_name(name)
        return name


class MemberChangeForm(_NameRulesMixin, UserChangeForm):
    """The admin's member form; a rename obeys the registration rules."""


class MemberCreationForm(_NameRulesMixin, AdminUserCreationForm):
    """The admin's 添加会员 form; the name obeys the registration rules."""


@admin.register(User)
class MemberAdmin(UserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    list_display = ("username", "email", "group", "posts", "credits", "date_joined")
    list_filter = ("group", "is_staff", "is_active")
    actions = ["approve_registration", "delete_keep_content", "delete_with_content"]

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

    def get_actions(self, request):
        """Django's bulk delete is replaced by the two 删除用户 actions below."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        """Django's list of what goes with the member, without its permission check on the
        append-only records (credit ledger, logs) whose admins allow no deletion: the
        member's deletion is :func:`luntan.moderation.members.delete_member`'s decision,
        not a hand deletion of those rows (it made a poster undeletable before)."""
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request, obj):
        """The member page's 删除 button keeps the content under 已注销用户."""
        delete_member(obj, actor=request.user, with_content=False)

    def _delete_members(self, request, queryset, with_content: bool) -> None:
        done = 0
        for member in queryset:
            try:
                delete_member(member, actor=request.user, with_content=with_content)
            except ValidationError as exc:
                self.message_user(request, f"{member}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("已删除 %(n)d 位会员。", "已删除 %(n)d 位会员。", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("删除用户，保留其帖子（显示为已注销用户）"), permissions=["delete"])
    def delete_keep_content(self, request, queryset):
        """Delete the selected members; their threads and posts stay under 已注销用户
        (:func:`luntan.moderation.members.delete_member`)."""
        self._delete_members(request, queryset, with_content=False)

    @admin.action(description=_("删除用户及其帖子"), permissions=["delete"])
    def delete_with_content(self, request, queryset):
        """Delete the selected members with their threads (to the recycle bin) and posts;
        counters and last posts are recomputed by the moderation services."""
        self._delete_members(request, queryset, with_content=True)

    if UserAdmin.fieldsets is None:  # Django's UserAdmin always declares its fieldsets
        raise ImproperlyConfigured("django.contrib.auth.admin.UserAdmin has no fieldsets")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("论坛", {"fields": ("group", "credits", "custom_title", "signature", "time_zone")}),
    )
