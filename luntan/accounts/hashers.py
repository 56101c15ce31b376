"""Password hasher for members imported from Discuz! X3.4 / UCenter.

UCenter stores ``md5(md5(password) . salt)`` in ``uc_members.password`` with a 6-character
salt (``uc_server/model/user.php``: ``md5(md5($password).$salt)``), the password taken as
its UTF-8 bytes. Imported hashes are stored as ``discuz$<salt>$<hex digest>``; Django
re-hashes with Argon2 at the first successful login because this hasher is not first in
``PASSWORD_HASHERS``.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class DiscuzPasswordHasher(BasePasswordHasher):
    """Verify ``md5(md5(password) + salt)`` hashes imported from UCenter.

    ``encode(password, salt)`` returns ``"discuz$<salt>$<32 hex>"``; ``verify`` returns a
    bool. Never used for new passwords.
    """

    algorithm = "discuz"

    def encode(self, password: str, salt: str) -> str:
        inner = hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()
        digest = hashlib.md5((inner + salt).encode("utf-8"), usedforsecurity=False).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict[str, str]:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "salt": salt, "hash": digest}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict[str | StrPromise, str]:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        return None
