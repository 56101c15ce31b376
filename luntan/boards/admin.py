from django import forms
from django.contrib import admin
from django.contrib.auth.hashers import make_password

from luntan.boards.models import Board, ThreadType


class BoardForm(forms.ModelForm):
    """The board with its access password (版块密码) set or cleared in plain text; only
    its hash is stored (``luntan.permissions.passwords``)."""

    new_password = forms.CharField(
        label="访问密码", required=False, max_length=64, help_text="填写后设置新密码；留空不变。"
    )
    clear_password = forms.BooleanField(label="取消访问密码", required=False)

    class Meta:
        model = Board
        fields = (
            "parent",
            "kind",
            "name",
            "description",
            "rules",
            "display_order",
            "is_hidden",
            "redirect_url",
            "view_groups",
            "post_groups",
            "reply_groups",
            "download_groups",
            "upload_groups",
            "thread_types_required",
            "moderate_new_posts",
            "thread_types_prefix",
            "moderators",
        )

    def save(self, commit: bool = True):
        board = super().save(commit=False)
        if self.cleaned_data.get("clear_password"):
            board.password = ""
        elif self.cleaned_data.get("new_password"):
            board.password = make_password(self.cleaned_data["new_password"])
        if commit:
            board.save()
            self.save_m2m()
        return board


class ThreadTypeInline(admin.TabularInline):
    model = ThreadType
    extra = 0
    exclude = ("discuz_typeid",)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    form = BoardForm
    list_display = ("name", "kind", "parent", "display_order", "threads", "posts", "is_hidden")
    list_filter = ("kind", "is_hidden")
    inlines = [ThreadTypeInline]
    filter_horizontal = ("moderators",)
    readonly_fields = ("threads", "posts", "last_thread", "last_post_at", "last_poster_name")
    exclude = ("discuz_fid",)
