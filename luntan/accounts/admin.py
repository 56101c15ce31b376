"""Admin of usergroups. The member admin (whose rename and delete go through the
censor and moderation services, which sit above accounts) is in
:mod:`luntan.siteadmin.admin`."""

from django.contrib import admin

from luntan.accounts.models import UserGroup


@admin.register(UserGroup)
class UserGroupAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "kind", "credits_lower", "credits_higher", "stars")
