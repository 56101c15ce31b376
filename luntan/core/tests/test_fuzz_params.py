"""Every parameter of every page is range-checked: no input gives a 5xx.

The URL configuration is walked; each page is requested with its path arguments set to
real ids and to edge values, and with every query parameter its view module reads
(``request.GET.get("…")``, ``GET["…"]``, ``GET.getlist``) plus common Discuz! ones set to
edge values: huge and negative integers, non-digits, overflowing dates, full-width digits,
emoji, NUL. Runs on SQLite and on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import importlib
import inspect
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

EDGE_VALUES = [
    "99999999999999999999",
    "-1",
    "abc",
    "9999-12-31",
    "0001-01-01",
    "1e309",
    "１２",
    "😀👨\u200d👩\u200d👧",
    "a\x00b",
]
#: Tried by a guest too (pages differ for guests).
GUEST_VALUES = ["99999999999999999999", "9999-12-31", "a\x00b"]
#: Values tried one parameter at a time (the others absent), for the names a view reads.
SHORT_VALUES = ["99999999999999999999", "0001-01-01", "\x00"]
COMMON_PARAMS = ["page", "type", "order", "author", "board", "q", "before", "after", "next"]
_GET_NAME = re.compile(r"""GET(?:\.get|\.getlist)?[(\[]\s*["']([A-Za-z_][\w-]*)["']""")
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _params_of(pattern: URLPattern) -> list[str]:
    """Query parameter names the view's module reads."""
    callback = pattern.callback
    module = importlib.import_module(getattr(callback, "__module__", "") or "luntan")
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return []
    return sorted(set(_GET_NAME.findall(source)))


def _fill(route: str, value_for) -> str:
    path = route.replace("^", "").replace("$", "").replace("\\", "")
    while True:
        match = _GROUP.search(path)
        if not match:
            return "/" + path
        path = path[: match.start()] + value_for(match.group(1)) + path[match.end() :]


@pytest.fixture
def site():
    board = make_board()
    thread = make_thread(board)
    reply = make_reply(thread)
    admin = make_user("fuzzadmin", is_staff=True, is_superuser=True, group_id=1)
    return {"pk": [str(board.pk), str(thread.pk), str(reply.pk), str(admin.pk)], "admin": admin}


def _fetch(client: Client, url: str, failures: list[str]) -> None:
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 - a raised exception is a 500
        failures.append(f"{url!r}: {type(exc).__name__}: {exc}"[:300])
        return
    if response.status_code >= 500:
        failures.append(f"{url!r}: {response.status_code}")


def test_no_page_answers_5xx_to_edge_values_of_its_parameters(site, settings):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    admin = Client(raise_request_exception=True)
    admin.force_login(site["admin"])
    guest = Client(raise_request_exception=True)
    failures: list[str] = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "i18n/")):
            continue
        if "<" in route.replace("(?P<", ""):
            continue  # path() converters (allauth's) validate their own types
        arg_values = list(dict.fromkeys([*site["pk"], "0", "999999999999999999"]))
        if re.search(r"\[0-9\]\+", route):  # unbounded digits (legacy Discuz! URLs)
            arg_values += ["99999999999999999999", "9" * 40]
        if re.search(r"\[a-z\]\+", route):
            arg_values += ["zzz"]
        paths = sorted({_fill(route, lambda _n, v=v: v) for v in arg_values})
        if not _GROUP.search(route):
            paths = [_fill(route, str)]
        read = _params_of(pattern)
        params = sorted(set(read) | set(COMMON_PARAMS))
        valid = _fill(route, lambda _n: site["pk"][1])
        for path in paths:
            if path != valid:  # an edge value in the path: one request each
                _fetch(admin, path, failures)
                continue
            for value in EDGE_VALUES:
                query = "?" + urlencode(dict.fromkeys(params, value))
                _fetch(admin, path + query, failures)
                if value in GUEST_VALUES:
                    _fetch(guest, path + query, failures)
            for name in read:  # one at a time: no other value stops the view early
                for value in SHORT_VALUES:
                    _fetch(admin, path + "?" + urlencode({name: value}), failures)
    if failures:
        print("\n".join(failures))
    assert failures == []


@pytest.mark.parametrize(
    "query",
    [
        "before=9999-12-31",
        "after=0001-01-01",
        "q=abc&before=9999-12-31&after=0001-01-01",
        "q=abc&board=99999999999999999999",
        "q=abc&type=99999999999999999999",
        "q=abc&page=99999999999999999999",
    ],
)
def test_search_ignores_out_of_range_dates_and_ids(client, settings, query):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    make_thread(make_board())
    assert client.get(f"/search/?{query}").status_code == 200


def test_member_search_ignores_nul(client, settings):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    make_user("nulfinder")
    response = client.get("/search/users/?q=nul%00finder")
    assert response.status_code == 200 and "nulfinder" in response.content.decode()
