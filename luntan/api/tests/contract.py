"""Validate API answers against the generated OpenAPI schema (jsonschema, draft 2020-12,
which OpenAPI 3.1 uses): the operation is found by method and path template, the status
must be documented, the media type must match and the body must validate."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from django.core.serializers.json import DjangoJSONEncoder
from jsonschema import Draft202012Validator

from luntan.api.api import api


@lru_cache(maxsize=1)
def spec() -> dict:
    # as served: through JSON (status keys become strings)
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


def _operations() -> list[tuple[str, re.Pattern, str]]:
    out = []
    for template, ops in spec()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$")
        for method in ops:
            out.append((method.upper(), pattern, template))
    return out


def operation_for(method: str, path: str) -> tuple[str, str]:
    """``(template, method)`` of the documented operation serving ``method path``."""
    for m, pattern, template in _operations():
        if m == method.upper() and pattern.match(path):
            return template, m.lower()
    raise AssertionError(f"{method} {path} is not in the OpenAPI schema")


#: Operations a test run has validated, for the coverage check.
seen: set[tuple[str, str]] = set()


def validate(response, method: str, path: str) -> None:
    """Assert that ``response`` (a test client response to ``method path``, path without
    the query) is what the schema documents for that operation and status."""
    template, m = operation_for(method, path)
    operation = spec()["paths"][template][m]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path}: {status} is not documented"
    documented = operation["responses"][status].get("content", {})
    media = response["Content-Type"].split(";")[0].strip()
    if "json" not in media:  # a file: the media type must be documented (type/* too)
        wild = media.split("/")[0] + "/*"
        assert media in documented or wild in documented, f"{method} {path}: {media}"
        seen.add((template, m))
        return
    assert media in documented, f"{method} {path} {status}: {media} not in {list(documented)}"
    schema = {**documented[media]["schema"], "components": spec()["components"]}
    errors = sorted(
        Draft202012Validator(schema).iter_errors(response.json()), key=lambda e: list(e.path)
    )
    assert not errors, f"{method} {path} {status}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )
    seen.add((template, m))
