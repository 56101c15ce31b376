"""Multipart uploads whose part headers are not valid UTF-8.

A browser (or a script) may send ``filename="../../\\xff\\xfe.jpg"`` with raw bytes that
are not UTF-8. Django's multipart parser skips such a part without a word, so a post
would be created and its file silently dropped. :class:`RepairingUploadHandler`, first in
``FILE_UPLOAD_HANDLERS``, copies the request body to a spooled temporary file on the way
in, re-decodes the *header* lines of each part that are not UTF-8 (invalid bytes become
U+FFFD), and parses the copy with the remaining upload handlers. Bytes of the files and
fields are never changed. The display name is then made harmless by
:func:`luntan.attachments.filenames.clean_filename` (no folders: ``��.jpg``) and the file
is stored under a random name as every upload is.
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, load_handler
from django.http.multipartparser import MultiPartParser

if TYPE_CHECKING:
    from django.http.request import _PostDataProtocol

_READ = 64 * 1024  # bytes per line read at most (header lines are far shorter)


class RepairingUploadHandler(FileUploadHandler):
    """Upload handler that repairs undecodable part headers (see the module docstring).

    ``handle_raw_input`` returns the ``(POST, FILES)`` of the repaired body, parsed by the
    request's other upload handlers (or ``settings.FILE_UPLOAD_HANDLERS`` without this one
    when there is no request). Memory: the copy stays in memory up to
    ``FILE_UPLOAD_MAX_MEMORY_SIZE`` bytes, then on disk.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: D102, N803
        dash = b"--" + boundary
        spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        in_headers = False
        size = 0
        while True:
            line = input_data.readline(_READ)
            if not line:
                break
            if in_headers:
                if line in (b"\r\n", b"\n"):
                    in_headers = False
                else:
                    try:
                        line.decode("utf-8")
                    except UnicodeDecodeError:
                        line = line.decode("utf-8", "replace").encode("utf-8")
            elif line.rstrip(b"\r\n") == dash:
                in_headers = True
            spool.write(line)
            size += len(line)
        spool.seek(0)
        meta = {**META, "CONTENT_LENGTH": str(size)}
        try:
            # typeshed's SpooledTemporaryFile.read takes no None, which django-stubs'
            # input protocol allows; the parser only ever reads a number of bytes.
            data = cast("_PostDataProtocol", spool)
            return MultiPartParser(meta, data, self._others(), encoding).parse()
        finally:
            spool.close()  # the handlers below copied what they keep

    def _others(self) -> list:
        if self.request is not None:
            return [h for h in self.request.upload_handlers if h is not self]
        return [
            load_handler(path)
            for path in settings.FILE_UPLOAD_HANDLERS
            if path != f"{__name__}.{type(self).__name__}"
        ]

    def receive_data_chunk(self, raw_data, start):  # noqa: D102 - never reached
        return raw_data

    def file_complete(self, file_size):  # noqa: D102 - never reached
        return None
