"""The apps' names (the admin's section titles) follow the reader's language."""

from __future__ import annotations

import re

from django.apps import apps
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_app_names_are_translated():
    ours = [c for c in apps.get_app_configs() if c.name.startswith("luntan.")]
    with translation.override("zh-hans"):
        assert str(apps.get_app_config("siteadmin").verbose_name) == "站点管理"
    with translation.override("en"):
        chinese = {c.label: str(c.verbose_name) for c in ours if CJK.search(str(c.verbose_name))}
    assert chinese == {}
