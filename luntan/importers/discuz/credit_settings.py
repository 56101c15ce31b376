"""Import the site's credit settings: names, units and the total formula from
``common_setting`` (``extcredits``: PHP-serialized ``{id: {title, unit, available,
showinprofile…}}``; ``creditsformula``: e.g. ``posts+digestposts*5+extcredits1*2+
extcredits2+extcredits3``) and the credit rules ``common_credit_rule`` (``action``,
``rulename``, ``cycletype``, ``cycletime``, ``rewardnum``, ``extcredits1..8``) into
:class:`luntan.credits.models.ExtCredit`, :class:`~luntan.credits.models.CreditSettings`
and :class:`~luntan.credits.models.CreditRule` (matched by ``action``).

Runs before the balances, so members' totals are computed with the site's own formula. A
formula luntan's parser refuses is kept as it was and reported.
"""

from __future__ import annotations

from django.db import transaction

from luntan.credits import formula as formula_mod
from luntan.credits.models import CreditRule, CreditSettings, ExtCredit

from .convert import parse_php, plain_name
from .source import DiscuzSource
from .upsert import TableStats


def _save_changed(obj, values: dict, stats: TableStats) -> None:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save()
        stats.updated += 1


def import_credit_settings(src: DiscuzSource, stats: TableStats, charset: str = "utf-8") -> None:
    """See the module docstring. ``charset``: the site's charset (PHP string lengths are
    byte counts in it)."""
    settings = dict(
        src.fetchall(
            src.sql(
                "SELECT skey, svalue FROM {common_setting} "
                "WHERE skey IN ('extcredits', 'creditsformula')"
            )
        )
    )
    stats.read += len(settings)
    with transaction.atomic():
        ext = parse_php(settings.get("extcredits"), charset)
        if isinstance(ext, dict):
            for key, item in ext.items():
                if not str(key).isdigit() or not 1 <= int(key) <= 8 or not isinstance(item, dict):
                    continue
                name = plain_name(str(item.get("title") or ""), 20)
                values = {
                    "name": name,
                    "unit": plain_name(str(item.get("unit") or ""), 10),
                    "enabled": bool(name) and str(item.get("available") or "0") not in ("", "0"),
                }
                found = ExtCredit.objects.filter(pk=int(key)).first()
                if found is None:
                    ExtCredit.objects.create(id=int(key), **values)
                    stats.created += 1
                else:
                    _save_changed(found, values, stats)
        formula = (settings.get("creditsformula") or "").strip()
        if formula:
            try:
                formula_mod.parse(formula)
            except formula_mod.FormulaError:
                stats.skip("credit formula luntan cannot parse (kept luntan's)")
            else:
                site, _ = CreditSettings.objects.get_or_create(pk=1)
                _save_changed(site, {"formula": formula}, stats)
    if not src.has("common_credit_rule"):
        return
    rows = src.dicts(
        src.sql(
            "SELECT rulename, action, cycletype, cycletime, rewardnum, extcredits1, extcredits2, "
            "extcredits3, extcredits4, extcredits5, extcredits6, extcredits7, extcredits8 "
            "FROM {common_credit_rule} ORDER BY rid"
        )
    )
    stats.read += len(rows)
    with transaction.atomic():
        for row in rows:
            action = (row["action"] or "").strip()[:30]
            if not action:
                stats.skip("credit rule without action")
                continue
            cycle = int(row["cycletype"] or 0)
            values = {
                "name": plain_name(row["rulename"], 30) or action,
                "cycle": cycle if cycle in CreditRule.Cycle.values else CreditRule.Cycle.UNLIMITED,
                "cycle_time": max(int(row["cycletime"] or 0), 0),
                "reward_count": max(int(row["rewardnum"] or 0), 0),
                **{f"extcredits{i}": int(row[f"extcredits{i}"] or 0) for i in range(1, 9)},
            }
            rule = CreditRule.objects.filter(action=action).first()
            if rule is None:
                CreditRule.objects.create(action=action, **values)
                stats.created += 1
            else:
                _save_changed(rule, values, stats)


__all__ = ["import_credit_settings"]
