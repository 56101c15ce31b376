"""The ★ rules of the Discuz! mobile API (``../shared/discuz/mobile_api.md`` §1.4, §2): the
keys whose absence, ``null`` or wrong JSON type breaks a screen of the DiscuzHub client,
written as checks the mobile tests run over real answers."""

from __future__ import annotations

from typing import Any

from django.test import Client

URL = "/api/mobile/index.php"

S, O, L = "string", "object", "array"  # noqa: E741 - the three JSON kinds, short on purpose

#: The envelope (§1.4): required in every enveloped answer.
ENVELOPE = {"Version": S, "Charset": S, "Variables": O}
GLOBALS = {
    "cookiepre": S,
    "saltkey": S,
    "member_username": S,
    "member_avatar": S,
    "formhash": S,
    "notice": O,
    "notice.newpush": S,
    "notice.newpm": S,
    "notice.newprompt": S,
    "notice.newmypost": S,
}
THREAD_ITEM = {"author": S, "subject": S, "dateline": S, "lastpost": S, "lastposter": S, "views": S}  # fmt: skip

#: Per module: ★ paths in ``Variables`` (``a.b``; ``x[]`` = every item of list ``x``).
MODULES: dict[str, dict[str, str]] = {
    "forumindex": {
        "member_credits": S,
        "setting_bbclosed": S,
        "group": O,
        "group.groupid": S,
        "group.grouptitle": S,
        "catlist": L,
        "catlist[].fid": S,
        "catlist[].name": S,
        "catlist[].forums": L,
        "forumlist": L,
        "forumlist[].fid": S,
        "forumlist[].name": S,
    },
    "forumdisplay": {
        "forum": O,
        "forum.threadcount": S,
        "group": O,
        "group.groupid": S,
        "forum_threadlist": L,
        "forum_threadlist[].tid": S,
        "forum_threadlist[].authorid": S,
        "forum_threadlist[].dblastpost": S,
        "tpp": S,
    },
    "viewthread": {
        "thread": O,
        "thread.author": S,
        "thread.subject": S,
        "thread.displayorder": S,
        "thread.views": S,
        "thread.replies": S,
        "ppp": S,
        "postlist": L,
        "postlist[].pid": S,
        "postlist[].message": S,
        "postlist[].dbdateline": S,
    },
    "newthreads": {"data": L, **{f"data[].{k}": v for k, v in THREAD_ITEM.items()}},
    "hotthread": {
        "data": L,
        "data[].highlight": S,
        **{f"data[].{k}": v for k, v in THREAD_ITEM.items()},
    },  # fmt: skip
    "smiley": {"smilies": L},
    "checkpost": {
        "allowperm": O,
        "allowperm.uploadhash": S,
        "allowperm.allowupload": O,
        "allowperm.attachremain": O,
    },
    "mynotelist": {"list": L, "list[].type": S, "list[].note": S},
    "myfavthread": {
        "list": L,
        "list[].idtype": S,
        "list[].title": S,
        "list[].description": S,
        "list[].author": S,
    },  # fmt: skip
    "myfavforum": {"list": L, "list[].idtype": S, "list[].title": S, "list[].description": S},
    "mypm": {"list": L},
    "publicpm": {"list": L},
    "profile": {"space": O},
}

CHECK = {
    k: S
    for k in (
        "discuzversion",
        "charset",
        "pluginversion",
        "regname",
        "qqconnect",
        "wsqqqconnect",
        "wsqhideregister",
        "sitename",
        "mysiteid",
        "ucenterurl",
    )
}


def kind(value: Any) -> str:
    """The JSON type name of a decoded value."""
    if isinstance(value, str):
        return S
    if isinstance(value, dict):
        return O
    if isinstance(value, list):
        return L
    if value is None:
        return "null"
    return type(value).__name__


def _values(node: Any, path: str) -> list[Any]:
    """Every value at ``path`` (``a.b``, ``x[].y``) under ``node``; a missing key gives
    ``KeyError`` naming the path."""
    found = [node]
    for part in path.split("."):
        every = part.endswith("[]")
        key = part[:-2] if every else part
        nxt = []
        for item in found:
            if not isinstance(item, dict) or key not in item:
                raise KeyError(path)
            value = item[key]
            if every:
                assert isinstance(value, list), f"{path}: {key} is {kind(value)}, not an array"
                nxt.extend(value)
            else:
                nxt.append(value)
        found = nxt
    return found


def check_paths(node: Any, spec: dict[str, str], where: str = "") -> None:
    """Assert every ★ path of ``spec`` is present with its JSON type."""
    for path, want in spec.items():
        for value in _values(node, path):
            assert kind(value) == want, f"{where}{path}: {kind(value)} {value!r}, want {want}"


def all_scalars_strings(node: Any, path: str = "") -> None:
    """Assert no JSON number or boolean anywhere (§1.2: every scalar a string or null)."""
    if isinstance(node, dict):
        for k, v in node.items():
            all_scalars_strings(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            all_scalars_strings(v, f"{path}[{i}]")
    else:
        assert node is None or isinstance(node, str), f"{path} is {kind(node)}: {node!r}"


def call(client: Client, module: str, method: str = "get", **params) -> dict:
    """Call ``module`` (query parameters for GET, form body for POST) and return the
    decoded JSON after checking the content type and, for enveloped modules, the
    envelope's ★ keys and that every scalar is a string."""
    if method == "get":
        response = client.get(URL, {"version": "4", "module": module, **params})
    else:
        response = client.post(f"{URL}?version=4&module={module}", params)
    assert response.status_code == 200, (module, response.status_code)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    if module == "secure" and body.get("Variables", {}) is None:
        assert body["Version"] == "4" and body["Charset"] == "UTF-8"  # X3.4's "no captcha"
    elif module != "check":
        check_paths(body, ENVELOPE, f"{module}: ")
        if body["Variables"] is not None:
            check_paths(body["Variables"], GLOBALS, f"{module}: ")
        all_scalars_strings(body)
        if "Message" in body:
            check_paths(body["Message"], {"messageval": S, "messagestr": S})
    return body
