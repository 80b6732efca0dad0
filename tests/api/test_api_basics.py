"""The JSON API: auth, problem+json errors, lists, creation and scope."""
import pytest

PROBLEM = "application/problem+json"


def test_health_needs_no_auth(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/units", "/api/v1/depots", "/api/v1/items", "/api/v1/stock"):
        assert path in spec["paths"]


@pytest.mark.parametrize("url", ["/api/v1/units", "/api/v1/depots", "/api/v1/items", "/api/v1/stock"])
def test_no_token_is_401_problem(client, world, url):
    response = client.get(url)
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert client.get(url, headers={"Authorization": "Bearer inv_wrong"}).status_code == 401


def test_unknown_route_and_method_are_problems(client, world, token_for):
    headers = token_for("admin")
    response = client.get("/api/v1/nothing-here", headers=headers)
    assert response.status_code == 404 and response.mimetype == PROBLEM
    response = client.delete("/api/v1/units", headers=headers)
    assert response.status_code == 405 and response.mimetype == PROBLEM


def test_list_envelope_and_paging(client, world, token_for):
    body = client.get("/api/v1/units?per_page=2&page=2", headers=token_for("admin")).json
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 6)
    assert len(body["items"]) == 2


def test_bad_paging_is_422_with_fields(client, world, token_for):
    response = client.get("/api/v1/units?per_page=501&page=0", headers=token_for("admin"))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert set(response.json["errors"]) == {"per_page", "page"}


def test_stock_rows_and_filters(client, world, token_for):
    body = client.get("/api/v1/stock?unit=D1", headers=token_for("admin")).json
    rows = {(r["depot_code"], r["lot_code"], r["owner_code"], r["quantity"]) for r in body["items"]}
    assert rows == {("DEP-D1", "T1", "D1", 100), ("DEP-S1", "Q1", "S1", 50)}
    assert client.get("/api/v1/stock?depot=NOPE", headers=token_for("admin")).status_code == 404


def test_keeper_sees_only_its_subtree_by_api(client, world, token_for):
    body = client.get("/api/v1/stock", headers=token_for("keeper")).json
    assert {r["lot_code"] for r in body["items"]} == {"Q1"}
    units = client.get("/api/v1/units", headers=token_for("keeper")).json
    assert {u["code"] for u in units["items"]} == {"S1", "S1C1"}


def test_create_item_validation_names_fields(client, world, token_for):
    response = client.post("/api/v1/items", json={"code": "abc", "name": "", "unit": "个",
                                                  "surprise": 1}, headers=token_for("bureau"))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert {"code", "name", "surprise"} <= set(response.json["errors"])


def test_create_unit_depot_item(client, world, token_for):
    headers = token_for("bureau")
    unit = client.post("/api/v1/units", json={"code": "S9", "name": "Nine", "tier": "street",
                                              "parent_code": "D1"}, headers=headers)
    assert unit.status_code == 201 and unit.json["target_people"] == 15000
    depot = client.post("/api/v1/depots", json={"code": "DEP-S9", "name": "Nine depot",
                                                "unit_code": "S9", "kind": "reserve_point"},
                        headers=headers)
    assert depot.status_code == 201 and depot.json["unit_code"] == "S9"
    item = client.post("/api/v1/items", json={"code": "1990001", "name": "测试", "unit": "个",
                                              "category": "other", "per_person": 0.5},
                       headers=headers)
    assert item.status_code == 201 and item.json["per_person"] == 0.5


def test_wrong_role_and_wrong_scope_are_403(client, world, token_for):
    keeper = token_for("keeper")
    response = client.post("/api/v1/items", json={"code": "1990002", "name": "x", "unit": "个"},
                           headers=keeper)
    assert response.status_code == 403 and response.mimetype == PROBLEM
    response = client.post("/api/v1/depots", json={"code": "X", "name": "x", "unit_code": "D2"},
                           headers=token_for("bureau"))
    assert response.status_code == 403


def test_malformed_json_and_wrong_content_type_are_problems(client, world, token_for):
    headers = token_for("bureau")
    response = client.post("/api/v1/items", data="{not json", headers={
        **headers, "Content-Type": "application/json"})
    assert response.status_code == 400 and response.mimetype == PROBLEM
    response = client.post("/api/v1/items", data="code=1", headers=headers)
    assert response.status_code == 415 and response.mimetype == PROBLEM
    response = client.post("/api/v1/items", json=[1, 2], headers=headers)
    assert response.status_code == 422 and response.mimetype == PROBLEM


def test_session_cookie_api_calls_need_the_csrf_header(world_app):
    import re
    app = world_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "bureau", "password": "correct-horse-9",
                                "csrf_token": token})
    body = {"code": "1990003", "name": "x", "unit": "个"}
    assert client.post("/api/v1/items", json=body).status_code == 400
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post("/api/v1/items", json=body, headers={"X-CSRFToken": token}).status_code == 201


def test_errors_never_leak_internals(client, world, token_for):
    response = client.get("/api/v1/stock?lot=" + "x" * 70, headers=token_for("admin"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "SELECT" not in text


def test_bearer_token_calls_need_no_csrf_token(world_app):
    from inventory.extensions import db
    from inventory.models import utcnow
    from inventory.services import users
    app = world_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        token = users.create_token(db.session, user=users.get_user(db.session, "bureau"), now=utcnow())
        db.session.commit()
    response = app.test_client().post("/api/v1/items", json={"code": "1990004", "name": "x", "unit": "个"},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201


def test_a_revoked_token_or_deactivated_user_is_refused_at_once(client, app, world, token_for):
    import sqlalchemy as sa

    from inventory.extensions import db
    from inventory.models import ApiToken, User, utcnow
    from inventory.services import users
    keeper, viewer = token_for("keeper"), token_for("viewer")
    for headers in (keeper, viewer):  # both now remembered by this worker's token cache
        assert client.get("/api/v1/stock", headers=headers).status_code == 200
    with app.app_context():
        keeper_token = db.session.scalar(sa.select(ApiToken).join(ApiToken.user)
                                         .where(User.username == "keeper"))
        users.revoke_token(db.session, token_id=keeper_token.id, actor=None, now=utcnow())
        users.update_user(db.session, users.get_user(db.session, "viewer"), actor=None,
                          now=utcnow(), is_active=False)
        db.session.commit()
    for headers in (keeper, viewer):
        response = client.get("/api/v1/stock", headers=headers)
        assert response.status_code == 401 and response.mimetype == PROBLEM


def test_bearer_token_calls_leave_no_session_cookie(client, world, token_for):
    response = client.get("/api/v1/stock", headers=token_for("keeper"))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Cookie" in response.headers.get("Vary", "")
