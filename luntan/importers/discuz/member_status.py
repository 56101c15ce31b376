"""Import members' last visit and verified e-mail addresses.

- ``common_member_status.lastvisit`` (Unix seconds, UTC) → ``User.last_login`` (shown as
  最后访问; only moved forward, so a visit in luntan since is kept);
- ``common_member.emailstatus`` = 1 (the address was verified in Discuz!) → an allauth
  ``EmailAddress`` row, ``verified`` and ``primary``, so the member is not asked to verify
  again; ``emailstatus`` 0 → the address is recorded unverified.

``common_member_status.lastip`` has no home in luntan (only the registration IP is kept);
the report counts the members that had one.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from luntan.accounts.models import User
from luntan.core.bulk import update_rows

from .convert import unix_to_utc
from .source import DiscuzSource
from .upsert import TableStats

_SQL = (
    "SELECT m.uid, m.email, m.emailstatus, s.lastvisit, s.lastip FROM {member} m "
    "LEFT JOIN {status} s ON s.uid = m.uid WHERE m.uid > %s ORDER BY m.uid LIMIT %s"
)


def import_member_status(src: DiscuzSource, batch: int, stats: TableStats, progress) -> None:
    """See the module docstring."""
    for suffix in ("", "_archive"):
        member, status = "common_member" + suffix, "common_member_status" + suffix
        if not (src.has(member) and src.has(status)):
            continue
        sql = src.sql(_SQL, member=member, status=status)
        for page in src.pages(sql, "uid", batch):
            stats.read += len(page)
            users = User.objects.in_bulk([int(r["uid"]) for r in page], field_name="discuz_uid")
            emails = {
                (e.user_id, e.email.lower()): e
                for e in EmailAddress.objects.filter(user_id__in=[u.pk for u in users.values()])
            }
            changed, new_emails, verify = [], [], []
            for row in page:
                user = users.get(int(row["uid"]))
                if user is None:
                    stats.skip("member not imported")
                    continue
                if row["lastip"]:
                    stats.notes["last IPs not kept (no home in luntan)"] = (
                        stats.notes.get("last IPs not kept (no home in luntan)", 0) + 1
                    )
                if int(row["lastvisit"] or 0) > 0:
                    seen = unix_to_utc(row["lastvisit"])
                    if user.last_login is None or user.last_login < seen:
                        user.last_login = seen
                        changed.append(user)
                email = (row["email"] or "").strip()
                if not email or "@" not in email:
                    continue
                verified = int(row["emailstatus"] or 0) == 1
                old = emails.get((user.pk, email.lower()))
                if old is None:
                    new_emails.append(
                        EmailAddress(user=user, email=email, verified=verified, primary=True)
                    )
                elif verified and not old.verified:
                    old.verified = True
                    verify.append(old)
            with transaction.atomic():
                update_rows(User, changed, ["last_login"])
                EmailAddress.objects.bulk_create(new_emails, batch_size=1000, ignore_conflicts=True)
                update_rows(EmailAddress, verify, ["verified"])
            stats.updated += len(changed) + len(verify)
            stats.created += len(new_emails)
            progress(stats.line())


__all__ = ["import_member_status"]
