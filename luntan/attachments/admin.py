from django.contrib import admin

from luntan.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("id", "filename", "size", "content_type", "uploader", "post", "created")
    list_filter = ("is_image",)
    search_fields = ("filename",)
    raw_id_fields = ("uploader", "post", "thread")
    readonly_fields = ("stored_name", "thumbnail_name", "size", "content_type", "downloads")
