"""The poll part of the 发新帖 form (a posting-form extension, registered in
:meth:`luntan.polls.apps.PollsConfig.ready`).

Members who may start polls in the board (:func:`luntan.permissions.can_start_poll`) get
a 发起投票 box under the editor: options one per line, 最多可选, 计票天数, 投票后结果可见,
公开投票参与人, 允许修改投票. Leaving the options empty posts an ordinary thread. The
form hands a :class:`~luntan.polls.services.PollSpec` to the pipeline as
``extras["poll"]``; the pipeline's after-write hook creates the poll.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from luntan import permissions
from luntan.polls.services import MAX_DAYS, MAX_OPTIONS, PollSpec

FIELDS = (
    "poll_options",
    "poll_max_choices",
    "poll_days",
    "poll_results_after_vote",
    "poll_public_voters",
    "poll_allow_change",
)


def _wanted(form) -> bool:
    return (
        getattr(form, "kind", "") == "new_thread"
        and getattr(form, "board", None) is not None
        and form.user is not None
        and permissions.can_start_poll(form.viewer, form.board)
    )


class PollFields:
    """The 发起投票 fields of the new-thread form (see the module doc); one shared
    instance, :data:`EXTENSION`."""

    def contribute(self, form) -> None:
        """Add the poll fields to a new-thread form of a member who may start polls."""
        if not _wanted(form):
            return
        form.fields["poll_options"] = forms.CharField(
            label=_("投票选项"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("每行一个选项，最多 %(n)d 个；留空则不发起投票。") % {"n": MAX_OPTIONS},
        )
        form.fields["poll_max_choices"] = forms.IntegerField(
            label=_("最多可选"), required=False, min_value=1, max_value=MAX_OPTIONS, initial=1
        )
        form.fields["poll_days"] = forms.IntegerField(
            label=_("计票天数"), required=False, min_value=0, max_value=MAX_DAYS, initial=0
        )
        form.fields["poll_results_after_vote"] = forms.BooleanField(
            label=_("投票后结果可见"), required=False
        )
        form.fields["poll_public_voters"] = forms.BooleanField(
            label=_("公开投票参与人"), required=False
        )
        form.fields["poll_allow_change"] = forms.BooleanField(
            label=_("允许修改投票"), required=False
        )

    def clean(self, form, cleaned: dict) -> None:
        """Build the :class:`PollSpec` (``cleaned["poll_spec"]``, ``None`` without
        options); problems go on ``poll_options``."""
        cleaned["poll_spec"] = None
        if "poll_options" not in form.fields:
            return
        lines = [line.strip() for line in (cleaned.get("poll_options") or "").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return
        spec = PollSpec(
            options=tuple(lines),
            max_choices=cleaned.get("poll_max_choices") or 1,
            days=cleaned.get("poll_days") or 0,
            results_before_vote=not cleaned.get("poll_results_after_vote"),
            public_voters=bool(cleaned.get("poll_public_voters")),
            allow_change=bool(cleaned.get("poll_allow_change")),
        )
        try:
            spec.check()
        except ValidationError as exc:
            form.add_error("poll_options", exc)
            return
        cleaned["poll_spec"] = spec

    def request_fields(self, form) -> dict[str, Any]:
        """``extras={"poll": spec}`` when the member filled in a poll, else nothing."""
        spec = form.cleaned_data.get("poll_spec")
        return {"extras": {"poll": spec}} if spec is not None else {}

    def render(self, form) -> str:
        """The 发起投票 box (``polls/_form.html``), or ``""`` for forms without it."""
        if "poll_options" not in form.fields:
            return ""
        html = render_to_string("polls/_form.html", {"form": form, "max_options": MAX_OPTIONS})
        return mark_safe(html)  # noqa: S308 - our own template's output


EXTENSION = PollFields()
