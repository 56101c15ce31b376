"""IP location as shown under a post (来自 …)."""

import pytest

from luntan.iplocation import format_region, lookup_region


@pytest.mark.parametrize(
    ("ip", "city_text"),
    [
        # The seed page's posts and their 来自 … lines (shared/discuz/README.md).
        ("58.218.204.37", "中国江苏徐州"),
        ("222.215.231.86", "中国四川眉山"),
        ("222.213.205.118", "中国四川资阳"),
        ("125.70.13.146", "中国四川成都"),
    ],
)
def test_seed_ips_show_the_city_as_the_seed_page(ip, city_text):
    assert format_region(lookup_region(ip), "city") == city_text


def test_province_level_shows_province_in_china_and_country_abroad():
    assert format_region(lookup_region("58.218.204.37"), "province") == "江苏"
    assert format_region(lookup_region("8.8.8.8"), "province") == "美国"


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "::1", "nonsense", ""])
def test_private_and_invalid_addresses_show_nothing(ip):
    assert lookup_region(ip) == ""
    assert format_region(lookup_region(ip), "city") == ""


def test_off_level_shows_nothing():
    assert format_region("中国|0|江苏省|徐州市|电信", "off") == ""


def test_municipality_is_not_repeated():
    assert format_region("中国|0|北京市|北京市|联通", "city") == "中国北京"


def test_autonomous_region_is_shortened():
    assert format_region("中国|0|广西壮族自治区|南宁市|电信", "city") == "中国广西南宁"


def test_missing_xdb_file_degrades_to_nothing(settings):
    lookup_region.cache_clear()
    settings.LUNTAN_IP2REGION_DB = "/nonexistent/ip2region.xdb"
    try:
        assert lookup_region("58.218.204.37") == ""
    finally:
        lookup_region.cache_clear()


def test_ipv4_mapped_ipv6_address_is_located_as_its_ipv4():
    assert format_region(lookup_region("::ffff:58.218.204.37"), "city") == "中国江苏徐州"
