from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from luntan.accounts.models import User, UserGroup


@admin.register(User)
class MemberAdmin(UserAdmin):
    list_display = ("username", "email", "group", "posts", "credits", "date_joined")
    list_filter = ("group", "is_staff", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("论坛", {"fields": ("group", "credits", "custom_title", "signature", "time_zone")}),
    )


@admin.register(UserGroup)
class UserGroupAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "kind", "credits_lower", "credits_higher", "stars")
