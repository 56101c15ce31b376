"""论坛 pages of the 管理中心: the board tree and one board's settings.

Writes go through :mod:`luntan.admincenter.boards`; every form posts with CSRF and comes
back with a message (a refused change says why and changes nothing).
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from luntan.accounts.models import UserGroup
from luntan.admincenter import boards as services
from luntan.admincenter.access import admin_page
from luntan.boards.models import Board, BoardAccess, ThreadType
from luntan.core.parsing import parse_id
from luntan.credits.models import CreditRule, ExtCredit
from luntan.credits.services import BOARD_RULE_ACTIONS, board_overrides
from luntan.permissions.viewer import ViewerRequest

#: Matrix columns: (field, label).
PERMISSION_COLUMNS = [
    ("view_groups", gettext_lazy("浏览版块")),
    ("post_groups", gettext_lazy("发新话题")),
    ("reply_groups", gettext_lazy("发表回复")),
    ("download_groups", gettext_lazy("下载附件")),
    ("upload_groups", gettext_lazy("上传附件")),
]


class BoardEditForm(forms.ModelForm):
    """A board's own settings (:data:`luntan.admincenter.boards.EDIT_FIELDS`)."""

    class Meta:
        model = Board
        fields = list(services.EDIT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "rules": forms.Textarea(attrs={"rows": 3}),
        }


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _tree() -> list[tuple[Board, int]]:
    """Every board in tree order with its depth (0 分区, 1 版块, 2 子版块). One query."""
    rows = list(Board.objects.order_by("display_order", "id"))
    children: dict[int | None, list[Board]] = {}
    for b in rows:
        children.setdefault(b.parent_id, []).append(b)
    out: list[tuple[Board, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for b in children.get(parent_id, []):
            out.append((b, depth))
            walk(b.pk, depth + 1)

    walk(None, 0)
    return out


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@admin_page
@require_http_methods(["GET", "POST"])
def board_tree(request: ViewerRequest) -> HttpResponse:
    """The board tree with ↑/↓ arrows, links to each board's page and 新建版块."""
    tree = _tree()
    if request.method == "POST":
        parent_id = request.POST.get("parent") or ""
        parent = None
        if parent_id:
            parent = Board.objects.filter(pk=parent_id if parent_id.isdigit() else 0).first()
            if parent is None:
                messages.error(request, _("上级版块不存在。"))
                return HttpResponseRedirect(reverse("admincenter:boards"))
        try:
            board = services.create_board(
                name=request.POST.get("name", ""),
                parent=parent,
                actor=request.user,
                ip=_ip(request),
            )
        except ValidationError as exc:
            _error(request, exc)
            return HttpResponseRedirect(reverse("admincenter:boards"))
        messages.success(request, _("已新建版块：%(name)s") % {"name": board.name})
        return HttpResponseRedirect(reverse("admincenter:board", args=[board.pk]))
    return render(
        request,
        "admincenter/boards.html",
        {"tree": tree, "parents": [(b, d) for b, d in tree if d < 2], "section": "boards"},
    )


@admin_page
@require_POST
def board_order(request: ViewerRequest, pk: int) -> HttpResponse:
    """POST ``step=up|down``: move the board one place among its siblings (the arrows);
    POST ``position=N``: put it at place N (1 = first) among them (drag and drop,
    ``boards.js``). Anything else is 404."""
    board = get_object_or_404(Board, pk=pk)
    if "position" in request.POST:
        position = parse_id(request.POST.get("position"))
        if position is None:
            raise Http404
        services.move_board_to(board, position, actor=request.user, ip=_ip(request))
        return HttpResponseRedirect(reverse("admincenter:boards") + f"#board-{board.pk}")
    step = {"up": -1, "down": 1}.get(request.POST.get("step", ""))
    if step is None:
        raise Http404
    services.move_board_step(board, step, actor=request.user, ip=_ip(request))
    return HttpResponseRedirect(reverse("admincenter:boards") + f"#board-{board.pk}")


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[,，、\s]+", text or "") if n]


@admin_page
@require_http_methods(["GET", "POST"])
def board_detail(request: ViewerRequest, pk: int) -> HttpResponse:
    """One board: settings, the group × action permission matrix, members' own access
    rights (访问权限: ``op`` ``access`` with ``username`` and ``access-<right>`` -1/0/1,
    ``remove_access`` with ``user``), moderators, thread types, access password, move,
    merge and delete. POST ``op`` names the form."""
    board = get_object_or_404(Board, pk=pk)
    groups = list(UserGroup.objects.order_by("pk"))
    form = BoardEditForm(instance=board)
    here = reverse("admincenter:board", args=[board.pk])
    if request.method == "POST":
        op = request.POST.get("op", "")
        actor, ip = request.user, _ip(request)
        try:
            if op == "edit":
                form = BoardEditForm(request.POST, instance=Board.objects.get(pk=board.pk))
                if not form.is_valid():
                    return _detail(request, board, groups, form)
                changed = services.update_board(
                    board,
                    {f: form.cleaned_data[f] for f in services.EDIT_FIELDS},
                    actor=actor,
                    ip=ip,
                )
                messages.success(
                    request, _("版块设置已保存。") if changed else _("没有修改任何设置。")
                )
            elif op == "perms":
                known = {g.pk for g in groups}
                values = {}
                for field, _label in PERMISSION_COLUMNS:
                    ids = [int(v) for v in request.POST.getlist(f"perm-{field}") if v.isdigit()]
                    values[field] = [i for i in ids if i in known]
                services.update_board(board, values, actor=actor, ip=ip)
                messages.success(request, _("版块权限已保存。"))
            elif op == "moderators":
                services.set_moderators(
                    board, _names(request.POST.get("moderators", "")), actor=actor, ip=ip
                )
                messages.success(request, _("版主已保存。"))
            elif op == "password":
                services.set_password(board, request.POST.get("password", ""), actor=actor, ip=ip)
                messages.success(
                    request,
                    _("访问密码已设置。")
                    if request.POST.get("password")
                    else _("访问密码已取消。"),
                )
            elif op == "credits":
                overrides = _credit_overrides(request.POST)
                if overrides is None:
                    messages.error(request, _("积分必须是 -99999 到 99999 之间的整数。"))
                    return HttpResponseRedirect(here + "#credits")
                saved = services.set_credit_overrides(board, overrides, actor=actor, ip=ip)
                messages.success(
                    request, _("版块积分设置已保存。") if saved else _("没有修改任何设置。")
                )
                return HttpResponseRedirect(here + "#credits")
            elif op == "access":
                services.set_member_access(
                    board,
                    request.POST.get("username", ""),
                    {f: request.POST.get(f"access-{f}", "0") for f in BoardAccess.RIGHTS},
                    actor=actor,
                    ip=ip,
                )
                messages.success(request, _("会员访问权限已保存。"))
            elif op == "remove_access":
                services.remove_member_access(
                    board, parse_id(request.POST.get("user")) or 0, actor=actor, ip=ip
                )
                messages.success(request, _("会员访问权限已删除。"))
            elif op == "add_type":
                services.add_thread_type(
                    board, request.POST.get("type_name", ""), actor=actor, ip=ip
                )
                messages.success(request, _("主题分类已添加。"))
            elif op == "delete_type":
                tt = get_object_or_404(
                    ThreadType, pk=parse_id(request.POST.get("type")) or 0, board=board
                )
                services.delete_thread_type(tt, actor=actor, ip=ip)
                messages.success(request, _("主题分类已删除。"))
            elif op == "move":
                parent = get_object_or_404(Board, pk=parse_id(request.POST.get("parent")) or 0)
                services.move_board(board, parent, actor=actor, ip=ip)
                messages.success(request, _("版块已移动。"))
            elif op == "merge":
                target = get_object_or_404(Board, pk=parse_id(request.POST.get("target")) or 0)
                moved = services.merge_boards(board, target, actor=actor, ip=ip)
                messages.success(
                    request,
                    _("已合并到 %(name)s，移动了 %(n)s 个主题。")
                    % {"name": target.name, "n": moved},
                )
                return HttpResponseRedirect(reverse("admincenter:board", args=[target.pk]))
            elif op == "delete":
                services.delete_board(board, actor=actor, ip=ip)
                messages.success(request, _("版块已删除。"))
                return HttpResponseRedirect(reverse("admincenter:boards"))
            else:
                raise Http404
        except ValidationError as exc:
            _error(request, exc)
        return HttpResponseRedirect(here)
    return _detail(request, board, groups, form)


def _credit_grid() -> tuple[list[CreditRule], list[ExtCredit]]:
    """The rules a board may override and the enabled extended credits (the columns)."""
    rules = list(CreditRule.objects.filter(action__in=BOARD_RULE_ACTIONS).order_by("pk"))
    return rules, list(ExtCredit.objects.filter(enabled=True).order_by("pk"))


def _credit_overrides(data) -> dict[int, dict[int, int] | None] | None:
    """The posted credit grid (``cr-<rule id>-<extcredit id>``) as overrides for
    :func:`~luntan.admincenter.boards.set_credit_overrides`: a rule whose cells are all
    empty is ``None`` (the site's amounts), else its cells (empty = 0). None when a cell is
    not a whole number within ±99999."""
    rules, columns = _credit_grid()
    out: dict[int, dict[int, int] | None] = {}
    for rule in rules:
        cells = {c.pk: (data.get(f"cr-{rule.pk}-{c.pk}") or "").strip() for c in columns}
        if not any(cells.values()):
            out[rule.pk] = None
            continue
        amounts: dict[int, int] = {}
        for ext, text in cells.items():
            if not text:
                continue
            if not re.fullmatch(r"[+-]?\d{1,5}", text):
                return None
            amounts[ext] = int(text)
        out[rule.pk] = amounts
    return out


def _detail(request, board: Board, groups, form) -> HttpResponse:
    matrix = [
        (g, [(field, g.pk in (getattr(board, field) or [])) for field, _l in PERMISSION_COLUMNS])
        for g in groups
    ]
    others = [(b, d) for b, d in _tree() if b.pk != board.pk]
    rules, columns = _credit_grid()
    overrides = board_overrides(board.pk)
    credit_rows = [
        (
            rule,
            [
                (
                    ext,
                    rule.deltas().get(ext.pk, 0),
                    overrides[rule.pk].get(ext.pk, 0) if rule.pk in overrides else "",
                )
                for ext in columns
            ],
        )
        for rule in rules
    ]
    return render(
        request,
        "admincenter/board.html",
        {
            "board": board,
            "form": form,
            "columns": PERMISSION_COLUMNS,
            "matrix": matrix,
            "moderators": "、".join(
                board.moderators.order_by("username").values_list("username", flat=True)
            ),
            "types": list(board.thread_types.all()),
            "access_rows": [
                (a, [(f, getattr(a, f)) for f in BoardAccess.RIGHTS])
                for a in board.access_overrides.select_related("user").order_by("user__username")
            ],
            "access_columns": [
                (f, label)
                for f, (_g, label) in zip(BoardAccess.RIGHTS, PERMISSION_COLUMNS, strict=True)
            ],
            "access_choices": BoardAccess.Value.choices,
            "parents": [(b, d) for b, d in others if d < 2 and b.kind != Board.Kind.SUB],
            "targets": [(b, d) for b, d in others if b.kind != Board.Kind.CATEGORY],
            "credit_columns": columns,
            "credit_rows": credit_rows,
            "section": "boards",
        },
    )
