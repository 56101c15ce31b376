"""The API's frame: schema, docs from our own static files, problem details for errors."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["code"]
    if code is not None:
        assert body["code"] == code
    return body


def test_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/threads/{thread_id}" in schema["paths"]
    assert "/api/v1/boards/{board_id}/threads" in schema["paths"]


def test_docs_are_served_from_our_static_files_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # no CDN, no third-party address anywhere in the page (validator badge off)
    assert re.findall(r"https?://", html) == []
    assert '"validatorUrl": null' in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_unknown_path_is_a_404_problem_not_html(client):
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["instance"] == "/api/v1/no-such-thing"


def test_wrong_method_is_a_405_problem_with_allow(client):
    response = client.put("/api/v1/site")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99999999999999999999999", "1e3"])
def test_malformed_ids_are_problems_never_500(client, raw):
    response = client.get(f"/api/v1/threads/{raw}")
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith(PROBLEM)


def test_validation_errors_list_the_bad_parameter(client, forum):
    response = client.get(f"/api/v1/boards/{forum['board'].pk}/threads?limit=1000")
    body = assert_problem(response, 422, "invalid")
    assert any("limit" in e["loc"] for e in body["errors"])


def test_site_info(client, forum):
    response = client.get("/api/v1/site")
    assert response.status_code == 200
    body = response.json()
    assert body["api_version"] == "1"
    assert body["limits"]["flood_seconds"] >= 0
    assert body["stats"]["members"] >= 4
