"""The label endpoints in the OpenAPI document (contract.md lists them under the API), and
what the document promises: binary images, a bearer token works, bad arguments are a 422."""
import pytest

LABEL_PATHS = {"/labels/lot/{lot_code}.{fmt}", "/labels/depot/{depot_code}.{fmt}"}


def test_openapi_documents_the_label_endpoints_as_binary_images(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert LABEL_PATHS | {"/labels/sheet"} <= set(paths)
    for path in LABEL_PATHS:
        operation = paths[path]["get"]
        content = operation["responses"]["200"]["content"]
        assert set(content) == {"image/svg+xml", "image/png"}
        assert content["image/png"]["schema"] == {"type": "string", "format": "binary"}
        fmt = next(p for p in operation["parameters"] if p["name"] == "fmt")
        assert fmt["schema"]["enum"] == ["png", "svg"]
    sheet = paths["/labels/sheet"]["get"]
    assert "text/html" in sheet["responses"]["200"]["content"]
    assert {p["name"] for p in sheet["parameters"]} >= {"lot", "depot", "copies", "layout"}


@pytest.mark.parametrize("url, mimetype", [("/labels/lot/Q1.png", "image/png"),
                                           ("/labels/lot/Q1.svg?owner=S1", "image/svg+xml"),
                                           ("/labels/depot/DEP-S1.png", "image/png")])
def test_label_images_answer_a_bearer_token(client, token_for, url, mimetype):
    response = client.get(url, headers=token_for("keeper"))
    assert response.status_code == 200 and response.mimetype == mimetype


@pytest.mark.parametrize("query, field", [("copies=0", "份数："), ("copies=x", "份数："),
                                          ("layout=roll", "版式："), ("lot=a%20b", "批次："),
                                          ("layout=%1C", "版式：")])
def test_label_sheet_refuses_bad_arguments_naming_them(client, token_for, query, field):
    response = client.get(f"/labels/sheet?{query}", headers=token_for("keeper"))
    assert response.status_code == 422, query
    assert response.mimetype == "text/html" and field in response.get_data(as_text=True)


def test_label_sheet_keeps_every_chosen_depot_and_refuses_foreign_ones(client, token_for):
    headers = token_for("keeper")  # a keeper of street S1
    page = client.get("/labels/sheet?depot=DEP-S1&lot=Q1&copies=2", headers=headers)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and text.count('src="/labels/depot/DEP-S1.svg?lang=zh"') == 2
    assert 'name="depot" value="DEP-S1"' in text
    assert client.get("/labels/sheet?depot=DEP-D2", headers=headers).status_code == 403


def test_a_page_answering_405_says_which_methods_it_allows(client, token_for):
    response = client.delete("/labels/sheet", headers=token_for("keeper"))
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
