"""Password hasher for members imported from Discuz! X3.4 / UCenter.

UCenter stores ``md5(md5(password) . salt)`` in ``uc_members.password`` with a 6-character
salt (``uc_server/model/user.php``: ``md5(md5($password).$salt)``), the password taken as
its bytes in the site's charset (UTF-8, GBK or BIG5 edition). Imported hashes are stored as ``discuz$<salt>$<hex digest>``; Django
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
    #: the charset of the Discuz! edition whose pages sent the password (UTF-8 edition)
    charset = "utf-8"

    def encode(self, password: str, salt: str) -> str:
        # A character outside a GBK/BIG5 page's charset reached PHP as &#NNNN; (what
        # browsers send), so it is hashed that way too.
        raw = password.encode(self.charset, "xmlcharrefreplace")
        inner = hashlib.md5(raw, usedforsecurity=False).hexdigest()
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


class DiscuzGBKPasswordHasher(DiscuzPasswordHasher):
    """As :class:`DiscuzPasswordHasher` for the GBK (简体中文 GBK) edition: the password was
    hashed over its GBK bytes. Stored as ``discuz_gbk$<salt>$<hex digest>``."""

    algorithm = "discuz_gbk"
    charset = "gbk"


class DiscuzBig5PasswordHasher(DiscuzPasswordHasher):
    """As :class:`DiscuzPasswordHasher` for the BIG5 (繁體中文 BIG5) edition. Stored as
    ``discuz_big5$<salt>$<hex digest>``."""

    algorithm = "discuz_big5"
    charset = "big5"
