from django.contrib import admin

from luntan.bans.models import Ban, IPBan


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "reason", "created", "expires_at", "lifted_at", "operator_name")
    list_filter = ("kind",)
    raw_id_fields = ("user", "operator")


@admin.register(IPBan)
class IPBanAdmin(admin.ModelAdmin):
    list_display = ("pattern", "reason", "created", "expires_at", "operator_name")
    raw_id_fields = ("operator",)
