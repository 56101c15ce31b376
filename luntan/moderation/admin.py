"""Django admin: the audit log read-only, reports and warnings for rare lookups. Day-to-day
moderation happens on the forum pages (``/mod/…`` and the thread page's tools)."""

from django.contrib import admin

from luntan.moderation.models import AuditLog, Report, Warning


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created", "actor_name", "action", "target_type", "target_id", "reason", "ip")
    list_filter = ("action", "target_type")
    search_fields = ("actor_name", "reason")
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("created", "post", "reporter", "reason", "resolved_at", "note")
    list_filter = ("resolved_at",)
    raw_id_fields = ("post", "reporter", "resolved_by")


@admin.register(Warning)
class WarningAdmin(admin.ModelAdmin):
    list_display = ("created", "user", "post", "actor", "reason")
    raw_id_fields = ("post", "user", "actor")
