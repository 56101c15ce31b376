from django.contrib import admin

from luntan.boards.models import Board, ThreadType


class ThreadTypeInline(admin.TabularInline):
    model = ThreadType
    extra = 0
    exclude = ("discuz_typeid",)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "display_order", "threads", "posts", "is_hidden")
    list_filter = ("kind", "is_hidden")
    inlines = [ThreadTypeInline]
    filter_horizontal = ("moderators",)
    readonly_fields = ("threads", "posts", "last_thread", "last_post_at", "last_poster_name")
    exclude = ("discuz_fid",)
