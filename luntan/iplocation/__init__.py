"""Offline IP location (来自 …) with the ip2region database.

Lookups use the ``.xdb`` file shipped by the ``XdbSearchIP`` package, or the file named by
the ``LUNTAN_IP2REGION_DB`` setting (a newer IPv4 or IPv6 xdb), read through the official
``py-ip2region`` binding. The file is loaded into memory once per process (about 11 MB).
"""

from __future__ import annotations

import ipaddress
import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from ip2region.searcher import Searcher

_lock = threading.Lock()
_searchers: dict[str, Searcher] = {}

_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


def _default_db_path() -> str:
    import XdbSearchIP

    return os.path.join(os.path.dirname(XdbSearchIP.__file__), "data", "ip2region.xdb")


def _searcher(path: str) -> Searcher:
    with _lock:
        found = _searchers.get(path)
        if found is None:
            from ip2region import searcher, util

            version = util.version_from_header(util.load_header_from_file(path))
            if version is None:
                raise ValueError(f"{path} is not an IPv4 or IPv6 ip2region xdb")
            found = searcher.new_with_buffer(version, util.load_content_from_file(path))
            _searchers[path] = found
        return found


@lru_cache(maxsize=4096)
def lookup_region(ip: str) -> str:
    """Return the ip2region answer for ``ip`` as stored on a post.

    The answer has the xdb's form ``country|area|province|city|isp`` (e.g.
    ``中国|0|江苏省|徐州市|电信``). Returns ``""`` for an invalid, private, loopback,
    reserved or unknown address, and for an IPv6 address when the xdb holds IPv4 only.
    Never raises.
    """
    try:
        addr = ipaddress.ip_address(ip.strip())
    except (ValueError, AttributeError):
        return ""
    if addr.version == 6 and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped  # ::ffff:58.218.204.37, as dual-stack servers report IPv4
    if not addr.is_global:
        return ""
    path = settings.LUNTAN_IP2REGION_DB or _default_db_path()
    try:
        found = _searcher(path)
        if found.get_ip_version().byte_num != len(addr.packed):
            return ""
        region = found.search(str(addr))
    except Exception:  # a broken or missing xdb must never fail a post
        return ""
    if not region or "内网IP" in region:
        return ""
    return region


def _short(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def format_region(region: str, level: str) -> str:
    """Return the 来自 … text for a stored ip2region answer.

    ``level`` is ``"city"`` (Discuz!'s form: ``中国江苏徐州``, country + province + city
    without 省/市 and without repeating a municipality: ``中国北京``), ``"province"`` (the
    IP属地 rule of Chinese platforms: the province inside China — ``江苏`` — and the
    country abroad — ``美国``), or ``"off"`` (always ``""``). Unknown parts (``0``) are
    left out; an empty or malformed answer gives ``""``.
    """
    if level == "off" or not region:
        return ""
    parts = region.split("|")
    if len(parts) < 4:
        return ""
    country, _area, province, city = (p if p != "0" else "" for p in parts[:4])
    province, city = _short(province), _short(city)
    if level == "province":
        if country == "中国" and province:
            return province
        return country
    pieces = [country, province]
    if city and city != province:
        pieces.append(city)
    return "".join(p for p in pieces if p)
