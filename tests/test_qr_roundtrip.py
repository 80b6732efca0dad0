"""A PNG label rendered by the app, read by an independent decoder (OpenCV), resolves to its lot."""
import cv2
import numpy as np
import pytest


@pytest.mark.parametrize("lot_code", ["T1", "Q1"])
def test_png_label_decodes_and_resolves_to_the_lot(client, world, token_for, lot_code):
    headers = token_for("admin")
    png = client.get(f"/labels/lot/{lot_code}.png", headers=headers)
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = cv2.imdecode(np.frombuffer(png.data, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert text.endswith(f"/q/T/{lot_code}"), text
    scanned = client.post("/api/v1/scans", json={"payload": text}, headers=headers)
    assert scanned.status_code == 200 and scanned.json["code"] == lot_code


def test_depot_label_svg_carries_name_and_escapes_it(client, app, world, token_for):
    from inventory.extensions import db
    from inventory.models import Depot
    import sqlalchemy as sa
    with app.app_context():
        db.session.execute(sa.update(Depot).where(Depot.code == "DEP-S1").values(name="<b>&仓库"))
        db.session.commit()
    svg = client.get("/labels/depot/DEP-S1.svg", headers=token_for("admin"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "&lt;b&gt;&amp;仓库" in svg.get_data(as_text=True)


def test_labels_need_auth_and_scope(client, world, token_for):
    assert client.get("/labels/lot/T1.svg").status_code == 401
    assert client.get("/labels/lot/T2.png", headers=token_for("keeper")).status_code == 404
    assert client.get("/labels/depot/DEP-D2.svg", headers=token_for("keeper")).status_code == 403
