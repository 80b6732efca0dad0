"""POST /api/v1/scans reads what a handheld scanner types, whatever the keyboard's state.

A scanner is a keyboard: with the computer's input method in Chinese mode it types full-width
signs and Chinese punctuation, with Caps Lock on every letter in the other case.
"""
import uuid

import pytest

LABEL = "http://192.168.1.20:8000/q/T/Q1"


@pytest.fixture
def keeper(token_for):
    return token_for("keeper")  # scope: Street One (DEP-S1 holds Q1: 50 quilts)


def scan(client, headers, payload):
    return client.post("/api/v1/scans", headers=headers,
                       json={"payload": payload, "depot_code": "DEP-S1"})


@pytest.mark.parametrize("typed", [
    "ｈｔｔｐ：／／１９２．１６８．１．２０：８０００／ｑ／Ｔ／Ｑ１",   # full-width
    "http：、、192。168。1。20：8000、q、T、Q1",                      # Chinese punctuation
    "HTTP://192.168.1.20:8000/Q/t/q1",                               # Caps Lock on
    "q1",                                                            # a bare code, Caps Lock on
])
def test_a_lot_label_typed_through_the_keyboard_state_is_read(client, keeper, typed):
    response = scan(client, keeper, typed)
    assert response.status_code == 200, response.json
    assert (response.json["kind"], response.json["code"], response.json["on_hand"]) == ("lot", "Q1", 50)


def test_a_depot_code_in_the_other_case_is_the_depot(client, keeper):
    response = scan(client, keeper, "dep-s1")
    assert (response.json["kind"], response.json["code"]) == ("depot", "DEP-S1")


def test_chinese_characters_ask_for_the_english_input_method(client, keeper):
    response = client.post("/api/v1/scans", headers={**keeper, "Accept-Language": "zh-CN"},
                           json={"payload": "户图图片：、、192。168"})
    assert response.status_code == 422
    assert "输入法" in response.json["errors"]["payload"][0]
    english = client.post("/api/v1/scans", headers={**keeper, "Accept-Language": "en"},
                          json={"payload": "户图图片：、、192。168"})
    assert "input method" in english.json["errors"]["payload"][0]


def receive(client, headers, lot_code):
    return client.post("/api/v1/movements", headers=headers, json={
        "request_id": str(uuid.uuid4()), "kind": "receive", "depot_code": "DEP-S1",
        "item_code": "1020101", "lot_code": lot_code, "quantity": 3})


def test_an_exact_code_wins_over_one_in_the_other_case(client, keeper):
    assert receive(client, keeper, "q1").status_code == 201
    assert scan(client, keeper, "q1").json["code"] == "q1"
    assert scan(client, keeper, "Q1").json["code"] == "Q1"
    assert scan(client, keeper, "/Q/t/q1").json["code"] == "q1"
    assert scan(client, keeper, "/q/T/Q1").json["code"] == "Q1"


def test_a_code_two_lots_match_but_for_case_is_not_guessed(client, keeper):
    assert receive(client, keeper, "QX").status_code == 201
    assert scan(client, keeper, "qx").json["code"] == "QX"
    assert receive(client, keeper, "qx").status_code == 201
    assert scan(client, keeper, "/q/T/Qx").status_code == 404
    bare = scan(client, keeper, "Qx")
    assert bare.status_code == 422 and "payload" in bare.json["errors"]


def test_an_unknown_code_is_named_and_a_foreign_text_is_not_our_label(client, keeper):
    headers = {**keeper, "Accept-Language": "zh-CN"}
    unknown = client.post("/api/v1/scans", headers=headers, json={"payload": "1040101-2099Z"})
    assert unknown.status_code == 422
    assert unknown.json["errors"]["payload"] == ["没有批次、仓库或调拨单的编码是 1040101-2099Z。"]
    foreign = client.post("/api/v1/scans", headers=headers,
                          json={"payload": "https://example.com/product?id=5"})
    assert foreign.json["errors"]["payload"] == ["这不是本系统的标签。"]
