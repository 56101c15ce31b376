"""Pages of the 管理中心 (``/admin-center/``, namespace ``admincenter``).

Each page is wrapped by :func:`luntan.admincenter.access.admin_page` (administrators,
password confirmed within the sudo window); writes call :mod:`luntan.admincenter.services`.
"""

from __future__ import annotations

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luntan import permissions
from luntan.admincenter import charts, services, stats, sudo
from luntan.admincenter.access import admin_page
from luntan.admincenter.forms import (
    ConfirmPasswordForm,
    GlobalSettingsForm,
    MailSettingsForm,
    TestMailForm,
)
from luntan.core.mail import get_mail_settings
from luntan.core.models import SiteSettings, get_site_settings
from luntan.permissions.viewer import ViewerRequest


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@admin_page
def home(request: ViewerRequest) -> HttpResponse:
    """首页: totals, posts and new members per day (``?days=30`` or ``365``) as SVG
    charts, the busiest boards, the online peak, the queues, system health, versions."""
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    if days not in stats.PERIODS:
        days = 30
    fmt = "m-d" if days <= 31 else "Y-m-d"
    posts = stats.posts_per_day(days)
    members = stats.members_per_day(days)
    boards = stats.busiest_boards(days)
    healthy, report = stats.system_health()
    peak, peak_at = stats.online_peak()
    context = {
        "days": days,
        "periods": stats.PERIODS,
        "totals": stats.totals(),
        "posts_total": sum(n for _d, n in posts),
        "members_total": sum(n for _d, n in members),
        "posts_chart": charts.column_chart(
            [(date_format(d, fmt), n) for d, n in posts],
            label=_("每日发帖数"),
        ),
        "members_chart": charts.column_chart(
            [(date_format(d, fmt), n) for d, n in members],
            label=_("每日新增会员"),
        ),
        "boards_chart": charts.bar_chart(boards, label=_("最活跃版块")) if boards else None,
        "peak": peak,
        "peak_at": peak_at,
        "queues": stats.pending_queues(),
        "healthy": healthy,
        "checks": report["checks"],
        "versions": stats.versions(),
        "section": "home",
    }
    return render(request, "admincenter/home.html", context)


@admin_page
@require_http_methods(["GET", "POST"])
def global_settings(request: ViewerRequest) -> HttpResponse:
    """全局: site settings (name, filings, registration, captcha, time zone, IP location,
    post limits, 站点关闭) and the mail settings with 发送测试邮件."""
    current = SiteSettings.objects.filter(pk=1).first() or get_site_settings()
    form = GlobalSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        changed = services.update_site_settings(
            form.instance, actor=request.user, fields=list(form.Meta.fields), ip=_ip(request)
        )
        if changed:
            messages.success(request, _("设置已保存。"))
        else:
            messages.info(request, _("没有修改任何设置。"))
        return HttpResponseRedirect(reverse("admincenter:global"))
    return render(
        request,
        "admincenter/global.html",
        {
            "form": form,
            "mail_form": TestMailForm(initial={"to": getattr(request.user, "email", "")}),
            "mail_settings_form": MailSettingsForm(instance=get_mail_settings()),
            "mail": _mail_settings(),
            "env_time_zone": settings.TIME_ZONE,
            "section": "global",
        },
    )


@admin_page
@require_POST
def mail_settings(request: ViewerRequest) -> HttpResponse:
    """POST 邮件设置 (:class:`MailSettingsForm`, :func:`services.update_mail_settings`);
    a bad value shows the 全局 page again with the form's errors."""
    form = MailSettingsForm(request.POST, instance=get_mail_settings())
    if not form.is_valid():
        current = SiteSettings.objects.filter(pk=1).first() or get_site_settings()
        return render(
            request,
            "admincenter/global.html",
            {
                "form": GlobalSettingsForm(instance=current),
                "mail_form": TestMailForm(initial={"to": getattr(request.user, "email", "")}),
                "mail_settings_form": form,
                "mail": _mail_settings(),
                "env_time_zone": settings.TIME_ZONE,
                "section": "global",
            },
            status=400,
        )
    changed = services.update_mail_settings(
        {f: form.cleaned_data[f] for f in services.MAIL_FIELDS},
        password=form.new_password(),
        actor=request.user,
        ip=_ip(request),
    )
    if changed:
        messages.success(request, _("邮件设置已保存。"))
    else:
        messages.info(request, _("没有修改任何设置。"))
    return HttpResponseRedirect(reverse("admincenter:global") + "#mail")


def _mail_settings() -> list[tuple[str, str]]:
    """The mail settings in use as ``(label, value)``: the 管理中心's SMTP settings when
    a host is set there, else the environment's (see the README); never the password."""
    found = get_mail_settings()
    if found.host and settings.EMAIL_BACKEND == "luntan.core.mail.SiteEmailBackend":
        return [
            (_("发信方式"), "SMTP"),
            (_("发件人"), found.from_address or settings.DEFAULT_FROM_EMAIL),
            (_("SMTP 服务器"), f"{found.host}:{found.port}"),
            (_("SMTP 用户名"), found.username or _("无")),
            (_("加密"), found.get_security_display()),
        ]
    backend = settings.EMAIL_BACKEND
    if backend == "luntan.core.mail.SiteEmailBackend":
        backend = settings.LUNTAN_ENV_EMAIL_BACKEND
    backend = backend.rsplit(".", 2)[-2]
    rows = [
        (_("发信方式"), "SMTP" if backend == "smtp" else _("控制台（未配置 EMAIL_HOST）")),
        (_("发件人"), settings.DEFAULT_FROM_EMAIL),
    ]
    if settings.EMAIL_HOST:
        security = (
            "SSL" if settings.EMAIL_USE_SSL else ("STARTTLS" if settings.EMAIL_USE_TLS else _("无"))
        )
        rows += [
            (_("SMTP 服务器"), f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"),
            (_("SMTP 用户名"), settings.EMAIL_HOST_USER or _("无")),
            (_("加密"), security),
        ]
    return rows


@admin_page
@require_POST
def test_mail(request: ViewerRequest) -> HttpResponse:
    """POST: queue a test mail to the given address (:func:`services.send_test_mail`)."""
    form = TestMailForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的收件地址。"))
    else:
        to = form.cleaned_data["to"]
        try:
            services.send_test_mail(to, actor=request.user, ip=_ip(request))
        except OSError as exc:  # smtplib errors are OSError
            messages.error(request, _("测试邮件发送失败：%(error)s") % {"error": exc})
        else:
            messages.success(request, _("测试邮件已加入发送队列：%(to)s") % {"to": to})
    return HttpResponseRedirect(reverse("admincenter:global") + "#mail")


@require_http_methods(["GET", "POST"])
def confirm(request: ViewerRequest) -> HttpResponse:
    """Sudo mode: an administrator types their password again (or, with two-factor
    sign-in, follows a link to confirm with an authenticator code, a recovery code or a
    passkey: :func:`luntan.admincenter.sudo.other_methods`); then back to ``next`` (a
    path on this site, else the 首页). Guests log in first; others get 403."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not permissions.can_use_admin_center(request.viewer):
        raise PermissionDenied
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    target = target or reverse("admincenter:home")
    form = ConfirmPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # A stolen session must not guess the password: wrong passwords count against
        # allauth's reauthenticate limit (10 a minute per member).
        limit = {"action": "reauthenticate", "user": request.user}
        if not ratelimit.consume(request, dry_run=True, **limit):
            form.add_error("password", _("尝试次数过多，请稍后再试。"))
            status = 429
        elif sudo.confirm(request, form.cleaned_data["password"]):
            return HttpResponseRedirect(target)
        else:
            ratelimit.consume(request, **limit)
            form.add_error("password", _("密码错误，请重试。"))
    return render(
        request,
        "admincenter/confirm.html",
        {
            "form": form,
            "next": target,
            "minutes": sudo.window_seconds() // 60,
            "other_methods": sudo.other_methods(request, target),
        },
        status=status,
    )
