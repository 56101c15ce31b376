from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmsConfig(AppConfig):
    """Private messages (短消息): conversations between two or a few members, the
    blacklist (黑名单), who may message whom, imported UCenter PMs and Discuz!
    ``common_grouppm`` system notices. See ``docs/pms.md``."""

    name = "luntan.pms"
    label = "pms"
    verbose_name = _("短消息")
