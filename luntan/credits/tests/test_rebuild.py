"""luntan rebuild_credits restores balances, totals and groups from the ledger."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from luntan.accounts.models import User, UserGroup
from luntan.credits import services
from luntan.credits.models import MemberCredits
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_rebuild_restores_tampered_balances_totals_and_groups(capsys):
    member = make_user()
    make_reply(make_thread(), member)
    services.apply_change(member, {2: 60}, "admin")
    assert User.objects.get(pk=member.pk).group_id == 11
    MemberCredits.objects.filter(pk=member.pk).update(extcredits2=0)
    User.objects.filter(pk=member.pk).update(credits=0, group_id=UserGroup.NEWBIE)
    call_command("rebuild_credits")
    assert "1 member(s) changed" in capsys.readouterr().out
    assert MemberCredits.objects.get(pk=member.pk).extcredits2 == 61
    user = User.objects.get(pk=member.pk)
    assert user.credits == 1 + 61 and user.group_id == 11


def test_rebuild_of_a_consistent_site_changes_nothing():
    member = make_user()
    make_thread(author=member)
    services.award(member, "digest")
    assert User.objects.get(pk=member.pk).credits > 0
    from luntan.credits.rebuild import rebuild_credits

    assert rebuild_credits() == 0
