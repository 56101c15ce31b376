"""Admin pages: administrators register webhooks (URL, events, secret, private targets)
and read the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from luntan.webhooks import services
from luntan.webhooks.models import EVENTS, Delivery, Webhook


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "is_active", "allow_private", "secret"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["secret"].required = False
        self.fields["secret"].help_text = _("留空自动生成。")

    def clean(self):
        data = super().clean() or {}  # ModelForm.clean returns cleaned_data
        url, events = data.get("url"), data.get("events")
        if url and events:
            try:
                services.check_webhook(url, events, allow_private=bool(data.get("allow_private")))
            except ValidationError as exc:
                self.add_error("url" if exc.code == "url" else "events", exc)
        return data


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("url", "is_active", "allow_private", "created")

    def save_model(self, request, obj, form, change) -> None:
        services.save_webhook(obj)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "webhook", "status", "attempts", "response_status", "created")
    list_filter = ("status", "event")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
