"""工具 page of the 管理中心: counter check and repair, search index rebuild, post
re-rendering, cache clearing, each a job on the task queue whose state and progress the page polls."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luntan.admincenter import tools as services
from luntan.admincenter.access import admin_page
from luntan.admincenter.models import AdminJob
from luntan.permissions.viewer import ViewerRequest

#: Jobs listed on the page.
JOBS_SHOWN = 10


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@admin_page
@require_http_methods(["GET", "POST"])
def tools(request: ViewerRequest) -> HttpResponse:
    """GET: the latest counter check (its drift) with 修复统计, the other tools and the
    latest jobs with their progress. POST ``kind``: queue that tool."""
    here = reverse("admincenter:tools")
    if request.method == "POST":
        try:
            services.start_job(request.POST.get("kind", ""), actor=request.user, ip=_ip(request))
            messages.success(request, _("已加入任务队列。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(here)
    jobs = list(AdminJob.objects.all()[:JOBS_SHOWN])
    check = AdminJob.objects.filter(kind=AdminJob.Kind.CHECK_COUNTERS).first()
    drift = []
    if check is not None and check.state == AdminJob.State.DONE:
        labels = {"thread": _("主题"), "board": _("版块"), "member": _("会员"), "site": _("站点")}
        drift = [[labels.get(r[0], r[0]), *r[1:]] for r in check.result.get("rows", [])]
    return render(
        request,
        "admincenter/tools.html",
        {
            "jobs": jobs,
            "check": check,
            "drift": drift,
            "any_active": any(j.active for j in jobs),
            "kinds": AdminJob.Kind,
            "section": "tools",
        },
    )


@admin_page
@require_GET
def job_status(request: ViewerRequest, pk: int) -> JsonResponse:
    """One job as JSON for the page's poll: ``{"state", "state_label", "done", "total",
    "percent", "active"}``."""
    job = get_object_or_404(AdminJob, pk=pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "active": job.active,
        }
    )
