"""Members' credit balances come over from the seed as opening ledger rows."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.credits.models import CreditLog, MemberCredits
from luntan.credits.rebuild import rebuild_credits

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

# shared/discuz/seed_thread.sql: common_member_count.extcredits2 (金钱) and the totals of
# the README's users table (posts + 金钱 by the default formula).
MONEY = {"admin": 120, "简阳新闻官": 61, "王者典范": 17, "雄州老杨": 9}
TOTALS = {"admin": 120, "简阳新闻官": 63, "王者典范": 18, "雄州老杨": 10}


def test_seed_balances_become_opening_ledger_rows_and_totals_match(seed_db):
    run_import(seed_db)
    for name, money in MONEY.items():
        user = User.objects.get(username=name)
        assert MemberCredits.objects.get(pk=user.pk).extcredits2 == money, name
        assert user.credits == TOTALS[name], name
        assert CreditLog.objects.filter(user=user, action="import").count() == 1
    assert User.objects.get(username="简阳新闻官").group_id == 11  # 注册会员 kept
    assert rebuild_credits() == 0


def test_reimport_writes_no_second_opening_row_and_keeps_local_earnings(seed_db):
    from luntan.credits.services import apply_change

    run_import(seed_db)
    official = User.objects.get(username="简阳新闻官")
    apply_change(official, {2: 5}, "admin")
    run_import(seed_db)
    assert CreditLog.objects.filter(user=official, action="import").count() == 1
    assert MemberCredits.objects.get(pk=official.pk).extcredits2 == 61 + 5
    assert User.objects.get(pk=official.pk).credits == 63 + 5
