"""Content sniffing and display names."""

from __future__ import annotations

import io

import pytest

from luntan.attachments import sniff
from luntan.attachments.conf import format_size
from luntan.attachments.filenames import clean_filename, content_disposition, extension_of
from luntan.attachments.tests.files import (
    HTML_BYTES,
    OLE2_BYTES,
    PDF_BYTES,
    PHP_BYTES,
    SVG_SCRIPT,
    docx_bytes,
    image_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (image_bytes("JPEG"), sniff.JPEG),
        (image_bytes("PNG"), sniff.PNG),
        (image_bytes("GIF"), sniff.GIF),
        (image_bytes("WEBP"), sniff.WEBP),
        (PDF_BYTES, sniff.PDF),
        (OLE2_BYTES, sniff.OLE2),
        (docx_bytes(), sniff.DOCX),
        (zip_bytes({"[Content_Types].xml": b"", "xl/workbook.xml": b""}), sniff.XLSX),
        (zip_bytes({"[Content_Types].xml": b"", "ppt/presentation.xml": b""}), sniff.PPTX),
        (zip_bytes({"a.txt": b"1"}), sniff.ZIP),
        (b"PK\x03\x04broken", sniff.ZIP),
        (SVG_SCRIPT, sniff.SVG),
        (b"  <svg onload=alert(1)>", sniff.SVG),
        (HTML_BYTES, sniff.MARKUP),
        (PHP_BYTES, sniff.MARKUP),
        (b"hello <a href=x>link</a>", sniff.MARKUP),
        (b'<?xml version="1.0"?><root/>', sniff.MARKUP),
        (b"<!-- comment -->", sniff.MARKUP),
        ("普通文本 1 < 2 > 0".encode(), sniff.TEXT),
        ("\ufeffBOM 文本".encode(), sniff.TEXT),
        ("国标编码".encode("gb18030"), sniff.TEXT),
        ("x".encode("utf-16"), sniff.UNKNOWN),
        (b"\x7fELF\x02\x01\x01\x00", sniff.UNKNOWN),
        (b"abc\x00def", sniff.UNKNOWN),
    ],
)
def test_detect(content, kind):
    f = io.BytesIO(content)
    assert sniff.detect(f) is kind
    assert f.tell() == 0


def test_a_multibyte_character_cut_at_the_head_boundary_is_still_text():
    content = ("中" * 5000).encode()  # 15000 bytes; the 8192-byte head ends mid-character
    assert sniff.detect(io.BytesIO(content)) is sniff.TEXT


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../x.php", "x.php"),
        ("..\\..\\windows\\x.txt", "x.txt"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\me\\报名表.docx", "报名表.docx"),
        ("a\x00b.txt", "ab.txt"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("lpt1.jpg", "_lpt1.jpg"),
        ('a<b>c:"d"|e?f*g.txt', "a_b_c__d__e_f_g.txt"),
        ("  ..hidden.txt.  ", "hidden.txt"),
        ("", "附件"),
        ("../", "附件"),
        ("新建 文本文档.txt", "新建 文本文档.txt"),
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


def test_long_names_keep_their_extension():
    name = clean_filename("长" * 300 + ".docx")
    assert len(name) == 120 and name.endswith(".docx")


def test_extension_of():
    assert extension_of("报名表.DOCX") == "docx"
    assert extension_of("a.tar.gz") == "gz"
    assert extension_of("README") == ""
    assert extension_of(".txt") == ""


def test_content_disposition_carries_cjk_in_rfc5987_and_an_ascii_fallback():
    assert content_disposition("attachment", "报名表 2025.docx", "attachment-3.docx") == (
        'attachment; filename="attachment-3.docx"; '
        "filename*=UTF-8''%E6%8A%A5%E5%90%8D%E8%A1%A8%202025.docx"
    )
    assert content_disposition("inline", 'a"b\\c.txt', "x.txt") == (
        "inline; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%5Cc.txt"
    )


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 Bytes"),
        (1023, "1023 Bytes"),
        (1024, "1 KB"),
        (23962, "23.4 KB"),
        (2 * 1024 * 1024, "2 MB"),
        (1536 * 1024, "1.5 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_format_size(size, text):
    assert format_size(size) == text
