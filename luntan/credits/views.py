"""Credit pages: the public rules page (/credits/rules/) and rating a post (/p/<id>/rate/)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan import permissions
from luntan.boards.models import Board
from luntan.core.parsing import parse_id
from luntan.credits import rating
from luntan.credits.display import extcredit_names
from luntan.credits.formula import describe as describe_formula
from luntan.credits.models import BoardCreditRule, CreditRule, ExtCredit, get_credit_settings
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Post, Thread


def rules(request: ViewerRequest) -> HttpResponse:
    """积分规则: every enabled rule with its cycle, reward count and amounts per enabled
    extended credit. ``?board=<id>`` shows that board's effective amounts (its overrides
    marked); an unknown or invisible board is 404, a malformed id is ignored. The total
    formula reads with credit names (威望×2 + 金钱, :func:`luntan.credits.formula.describe`).
    Three queries (four with a board)."""
    board = None
    board_id = parse_id(request.GET.get("board"))
    if board_id is not None:
        board = Board.objects.select_related("parent__parent").filter(pk=board_id).first()
        if board is None or not permissions.can_view_board(request.viewer, board):
            raise Http404
    credits = list(ExtCredit.objects.filter(enabled=True).order_by("pk"))
    overrides = {}
    if board is not None:
        overrides = {o.rule_id: o for o in BoardCreditRule.objects.filter(board=board)}
    rows = []
    for rule in CreditRule.objects.filter(enabled=True).order_by("pk"):
        source = overrides.get(rule.pk, rule)
        rows.append(
            {
                "rule": rule,
                "override": rule.pk in overrides,
                "amounts": [getattr(source, f"extcredits{e.pk}") for e in credits],
            }
        )
    return render(
        request,
        "credits/rules.html",
        {
            "board": board,
            "credits": credits,
            "rows": rows,
            "formula": describe_formula(
                get_credit_settings().formula,
                {pk: name for pk, (name, *_rest) in extcredit_names().items()},
            ),
        },
    )


def _load_post(pk: str) -> Post:
    try:
        post = Post.objects.select_related("thread__board__parent__parent").get(pk=int(pk))
    except Post.DoesNotExist:
        raise Http404 from None
    if post.state == Post.State.PENDING or post.thread.state != Thread.State.NORMAL:
        raise Http404
    return post


@require_http_methods(["GET", "POST"])
def rate(request: ViewerRequest, pk: str) -> HttpResponse:
    """评分: GET shows the form (credit, score, reason) with today's points left; POST
    (CSRF-checked) rates through :func:`luntan.credits.rating.rate_post` and redirects to
    the post. Guests go to the log-in page; a member who may not rate gets a 403 page
    saying why; an invalid score or reason shows the form again (400) with the error."""
    post = _load_post(pk)
    try:
        rating.check_rate_post(request.viewer, post)
    except PermissionDenied as exc:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "threads/forbidden.html",
            {"reason": str(exc) or _("您没有权限进行此操作。")},
            status=403,
        )
    rater = request.viewer.member
    if rater is None:  # check_rate_post refuses guests; narrows the type
        return redirect_to_login(request.get_full_path())
    error = None
    values = {"extcredit": "", "score": "", "reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        extcredit, score = parse_id(values["extcredit"]), _parse_int(values["score"])
        if extcredit is None or score is None:
            error = _("请选择积分并填写评分分值。")
        else:
            try:
                rating.rate_post(
                    rater=rater,
                    post=post,
                    extcredit=extcredit,
                    score=score,
                    reason=values["reason"],
                    viewer=request.viewer,
                )
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                return HttpResponseRedirect(post.get_absolute_url())
    return render(
        request,
        "credits/rate.html",
        {
            "post": post,
            "thread": post.thread,
            "ranges": rating.rate_ranges(request.user),
            "error": error,
            "values": values,
            "reason_max": rating.REASON_MAX_LENGTH,
        },
        status=400 if error else 200,
    )


def _parse_int(raw: str) -> int | None:
    raw = (raw or "").strip()
    sign = -1 if raw.startswith("-") else 1
    digits = raw.lstrip("+-")
    if not digits.isdigit() or len(digits) > 6:
        return None
    return sign * int(digits)
