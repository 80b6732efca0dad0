"""GET /api/v1/readiness: the contract's fields, defaults, scope and bad input."""
import pytest

PROBLEM = "application/problem+json"
ITEM_FIELDS = {"item_code", "critical", "per_person", "required", "on_hand", "physical",
               "agreement", "usable", "shortfall", "people_covered"}


def test_readiness_answers_the_contract_fields(client, world, token_for):
    response = client.get("/api/v1/readiness?unit=D1&people=100&hours=8&basis=owner",
                          headers=token_for("bureau"))
    assert response.status_code == 200
    body = response.json
    for key in ("target_people", "horizon_hours", "people_coverable",
                "people_coverable_with_agreements", "limiting_item_code", "resident_population",
                "resident_coverage_ratio", "items"):
        assert key in body
    assert (body["target_people"], body["horizon_hours"]) == (100, 8)
    assert body["limiting_item_code"] == "1040101"  # no rations at all
    tent = next(i for i in body["items"] if i["item_code"] == "1010101")
    assert ITEM_FIELDS <= set(tent)
    assert (tent["required"], tent["physical"], tent["people_covered"]) == (25, 100, 400)
    assert body["resident_population"] == 100_000


def test_defaults_come_from_the_users_unit_and_its_targets(client, world, token_for):
    body = client.get("/api/v1/readiness", headers=token_for("bureau")).json
    assert body["unit_code"] == "D1"
    assert (body["target_people"], body["horizon_hours"], body["basis"]) == (15000, 8, "owner")


def test_unknown_unit_is_404(client, world, token_for):
    response = client.get("/api/v1/readiness?unit=NOPE", headers=token_for("admin"))
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_unit_outside_the_area_is_403(client, world, token_for):
    response = client.get("/api/v1/readiness?unit=D2", headers=token_for("bureau"))
    assert response.status_code == 403 and response.mimetype == PROBLEM


@pytest.mark.parametrize("query, field", [("people=-1", "people"), ("hours=0", "hours"),
                                          ("on=tomorrow", "on"), ("basis=where", "basis"),
                                          ("season=spring", "season"), ("colour=red", "colour")])
def test_bad_parameters_are_422_naming_the_field(client, world, token_for, query, field):
    response = client.get(f"/api/v1/readiness?unit=D1&{query}", headers=token_for("admin"))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert field in response.json["errors"]


def test_readiness_at_a_future_date_drops_expiring_lots(client, world, token_for):
    headers = token_for("admin")
    client.post("/api/v1/movements", headers=headers, json={
        "request_id": "rd-receive-food-1", "kind": "receive", "item_code": "1040101",
        "lot_code": "FOOD-SOON", "expiry_date": "2099-01-10", "depot_code": "DEP-D1",
        "quantity": 300})
    before = client.get("/api/v1/readiness?unit=D1&people=100&on=2099-01-10", headers=headers).json
    after = client.get("/api/v1/readiness?unit=D1&people=100&on=2099-01-11", headers=headers).json
    food = {b["item_code"]: b for b in before["items"]}["1040101"]
    assert food["physical"] == 300 and food["on_hand"] == 300
    assert {a["item_code"]: a for a in after["items"]}["1040101"]["physical"] == 0


def test_openapi_lists_readiness(client):
    assert "/api/v1/readiness" in client.get("/api/v1/openapi.json").json["paths"]


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01"])
def test_a_date_out_of_the_accepted_years_is_a_422_naming_it(client, world, token_for, on):
    response = client.get(f"/api/v1/readiness?unit=D1&on={on}&hours=48",
                          headers=token_for("bureau"))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert "on" in response.json["errors"]


def add_stove(app):
    """A cold-season-only critical item (0 per person in the warm season), none in stock."""
    from inventory.extensions import db
    from tests import factories

    with app.app_context():
        factories.make_item(db.session, "1010201", name="取暖炉", name_en="Stove",
                            category="shelter", per_person=0, per_person_cold=0.5, critical=True)
        db.session.commit()


def codes(body):
    return {item["item_code"] for item in body["items"]}


def test_season_defaults_to_the_dates_season_and_follows_the_setting(
        make_app, world_app, tmp_path):
    from inventory.extensions import db
    from inventory.models import utcnow
    from inventory.services import users

    for setting, january, july in (("auto", "cold", "warm"), ("warm", "warm", "warm"),
                                   ("cold", "cold", "cold")):
        app = world_app(SEASON=setting)
        add_stove(app)
        with app.app_context():
            token = users.create_token(db.session, user=users.get_user(db.session, "bureau"),
                                       now=utcnow())
            db.session.commit()
        client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
        for on, season in (("2026-01-15", january), ("2026-07-15", july)):
            body = client.get(f"/api/v1/readiness?unit=D1&on={on}", headers=headers).json
            assert body["season"] == season, (setting, on)
            assert ("1010201" in codes(body)) == (season == "cold")
            assert (body["limiting_item_code"] == "1010201") == (season == "cold")
        chosen = client.get("/api/v1/readiness?unit=D1&on=2026-07-15&season=cold",
                            headers=headers).json
        assert chosen["season"] == "cold" and "1010201" in codes(chosen)
    bad = client.get("/api/v1/readiness?season=winter", headers=headers)
    assert bad.status_code == 422 and "season" in bad.json["errors"]
