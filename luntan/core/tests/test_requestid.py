"""Request ids on responses and log lines; JSON lines logs."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re

import pytest

from luntan.core import requestid

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert client.get("/")["X-Request-ID"] != response["X-Request-ID"]


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/", HTTP_X_REQUEST_ID="ngx-7f3a_01")["X-Request-ID"] == "ngx-7f3a_01"
    replaced = client.get("/", HTTP_X_REQUEST_ID="bad id\n<script>")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_json_log_lines_carry_the_request_id():
    from luntan import settings as site_settings

    out = io.StringIO()
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"rid": {"()": "luntan.core.requestid.RequestIdFilter"}},
            "formatters": {"j": site_settings._LOG_FORMATTERS["json"]},
            "handlers": {
                "mem": {
                    "class": "logging.StreamHandler",
                    "stream": out,
                    "filters": ["rid"],
                    "formatter": "j",
                }
            },
            "loggers": {"luntan.test.json": {"handlers": ["mem"], "level": "INFO"}},
        }
    )
    log = logging.getLogger("luntan.test.json")
    token = requestid.current.set("req-42")
    try:
        log.warning("帖子已发表", extra={"topic": 7})
    finally:
        requestid.current.reset(token)
    log.info("outside")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["message"] == "帖子已发表"
    assert first["level"] == "WARNING" and first["logger"] == "luntan.test.json"
    assert first["request_id"] == "req-42" and first["topic"] == 7
    assert first["time"]
    assert second["request_id"] == "-"
