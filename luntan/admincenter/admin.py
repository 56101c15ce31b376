"""Django admin for the 管理中心's tool jobs (to delete one a dead worker left running)."""

from django.contrib import admin

from luntan.admincenter.models import AdminJob


@admin.register(AdminJob)
class AdminJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "state", "done", "total", "actor_name", "created")
    list_filter = ("kind", "state")
    readonly_fields = ("kind", "done", "total", "result", "error", "actor", "created")
