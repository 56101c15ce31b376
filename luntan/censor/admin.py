from django.contrib import admin

from luntan.censor.models import CensorWord


@admin.register(CensorWord)
class CensorWordAdmin(admin.ModelAdmin):
    list_display = ("find", "action", "replacement", "operator_name", "created")
    list_filter = ("action",)
    search_fields = ("find",)
