"""Dispatch pages end to end with the test client: event, request, approve, pick, dispatch,
receive, distribute, report; in Chinese and English; errors in place."""
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from inventory.extensions import db
from inventory.models import (Agreement, AgreementLine, AgreementMode, Balance, Distribution,
                              DispatchOrder, Item, OrderStatus, Partner, Unit, utcnow)
from inventory.services import ledger
from tests import factories
from tests.conftest import login


@pytest.fixture
def shelter(app, world):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "S1C1"))
        factories.make_depot(db.session, "DEP-S1C1", unit, name="Community One Shelter")
        db.session.commit()


def logout(client):
    client.post("/logout")


def new_event(client):
    response = client.post("/events/new", data={
        "name": "Flood 2026", "type": "flood", "unit_code": "D1", "area_codes": ["S1", "S2"],
        "started_at": "2026-07-01T06:00", "affected_people": "3000", "response_level": "3"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def new_order(client, event_code, **data):
    response = client.post(f"/events/{event_code}/requests/new", data={
        "to_unit_code": "S1C1", "to_depot_code": "DEP-S1C1", **data})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response.headers["Location"].rsplit("/", 1)[1]


def test_event_and_request_forms_show_errors_in_place(client, world, shelter):
    login(client, "dispatcher")
    response = client.post("/events/new", data={"name": "", "unit_code": "D1"})
    assert response.status_code == 422 and 'id="name-error"' in response.get_data(as_text=True)
    code = new_event(client)
    page = client.get(f"/events/{code}").get_data(as_text=True)
    assert "Flood 2026" in page and "洪涝" in page and "三级" in page
    response = client.post(f"/events/{code}/requests/new", data={"to_unit_code": "S1C1"})
    assert response.status_code == 422 and "人数" in response.get_data(as_text=True)
    response = client.post(f"/events/{code}/requests/new", data={
        "to_unit_code": "S1C1", "item_code": ["1010101"], "quantity": ["zero"]})
    assert response.status_code == 422
    assert '<p class="field-error">第 1 行' in response.get_data(as_text=True)


def test_the_whole_flow_through_the_pages(client, app, world, shelter):
    login(client, "dispatcher")
    event = new_event(client)
    order = new_order(client, event, people="40")
    page = client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    assert "草稿" in page and "T1" in page and "Q1" in page
    assert client.post(f"/dispatch/orders/{order}/approve").status_code == 403  # dispatcher
    logout(client)

    login(client, "bureau")
    assert client.post(f"/dispatch/orders/{order}/approve").status_code == 302
    assert "已批准" in client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    logout(client)

    login(client, "keeper")  # street one's keeper picks the quilts at DEP-S1
    pick = client.get(f"/dispatch/orders/{order}/pick/DEP-S1")
    assert pick.status_code == 200 and "Q1" in pick.get_data(as_text=True)
    assert client.post(f"/dispatch/orders/{order}/pick/DEP-S1",
                       data={"payload": f"http://x/q/O/{order}"}).status_code == 303
    wrong = client.post(f"/dispatch/orders/{order}/pick/DEP-S1", data={"payload": "/q/T/T1"})
    assert wrong.status_code in (403, 409)
    done = client.post(f"/dispatch/orders/{order}/pick/DEP-S1", data={"payload": "/q/T/Q1"})
    assert done.status_code == 303
    logout(client)

    login(client, "admin")  # the district depot's tents
    assert client.post(f"/dispatch/orders/{order}/pick/DEP-D1",
                       data={"payload": "T1", "quantity": "10"}).status_code == 303
    response = client.post(f"/dispatch/orders/{order}/dispatch", data={
        "vehicle": "蒙K12345", "driver": "王师傅", "eta": "2026-07-01T10:00",
        "departed_at": "2026-07-01T09:00"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    receive = client.get(f"/dispatch/orders/{order}/receive").get_data(as_text=True)
    inputs = dict(re.findall(r'<td>(T1|Q1)</td>.*?name="(received-\d+)"', receive, re.S))
    assert set(inputs) == {"T1", "Q1"}
    response = client.post(f"/dispatch/orders/{order}/receive", data={
        "depot_code": "DEP-S1C1", inputs["T1"]: "10", inputs["Q1"]: "38"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    response = client.post(f"/events/{event}/distribute", data={
        "request_id": "dist-00000001", "depot_code": "DEP-S1C1", "household_head": "张三",
        "id_number": "150602199001011234", "household_size": "4",
        "item_code": ["1010101"], "quantity": ["1"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    sheet = client.get(f"/events/{event}/distributions?depot=DEP-S1C1").get_data(as_text=True)
    assert "1506**********1234" in sheet and "150602199001011234" not in sheet
    report = client.get(f"/events/{event}/report").get_data(as_text=True)
    assert "每日统报" in report
    xlsx = client.get(f"/events/{event}/report.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert any("帐篷" == cell.value for row in sheet.iter_rows() for cell in row)
    with app.app_context():
        assert db.session.scalar(sa.select(DispatchOrder.status)) is OrderStatus.RECEIVED
        assert db.session.scalar(sa.select(sa.func.count(Distribution.id))) == 1
        assert db.session.scalar(sa.select(sa.func.sum(Balance.reserved))) == 0
        assert ledger.verify(db.session) == []


def test_pages_in_english(client, world, shelter):
    login(client, "dispatcher")
    event = new_event(client)
    order = new_order(client, event, item_code=["1010101"], quantity=["5"])
    client.get("/?lang=en")
    for url in ("/events", f"/events/{event}", f"/dispatch/orders/{order}", "/dispatch/orders",
                f"/events/{event}/report", f"/events/{event}/distributions",
                f"/events/{event}/requests/new", "/events/new"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Draft" in response.get_data(as_text=True) or url != f"/dispatch/orders/{order}"
    assert "Daily report" in client.get(f"/events/{event}/report").get_data(as_text=True)


def test_adjusting_and_illegal_actions(client, world, shelter):
    login(client, "dispatcher")
    event = new_event(client)
    order = new_order(client, event, item_code=["1010101"], quantity=["5"])
    page = client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    allocation = re.search(r'name="(quantity-\d+)"', page).group(1)
    response = client.post(f"/dispatch/orders/{order}/adjust", data={allocation: "abc"})
    assert response.status_code == 422
    assert client.post(f"/dispatch/orders/{order}/adjust", data={allocation: "3"}).status_code == 302
    page = client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    row = re.search(r'<tr[^>]*data-item="1010101">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'data-testid="unmet">\s*2\s*<', row), row  # 5 asked, 3 allocated
    assert client.post(f"/dispatch/orders/{order}/cancel", data={"reason": "x"}).status_code == 302
    response = client.post(f"/dispatch/orders/{order}/cancel")
    assert response.status_code == 409  # already cancelled
    receive = client.get(f"/dispatch/orders/{order}/receive")
    page = receive.get_data(as_text=True)
    assert receive.status_code == 409 and 'data-testid="not-receivable"' in page
    assert f"调拨单 {order} 已取消，没有可接收的物资。" in page and 'name="depot_code"' not in page


def test_order_label_and_qr_link(client, world, shelter):
    login(client, "dispatcher")
    event = new_event(client)
    order = new_order(client, event, item_code=["1010101"], quantity=["5"])
    svg = client.get(f"/labels/order/{order}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    response = client.get(f"/q/O/{order}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/dispatch/orders/{order}")
    assert client.get("/dispatch/orders/DO-NOPE").status_code == 404


@pytest.fixture
def torch_agreement(app, world):
    """Torches are in no depot: only a partner's agreement supplies them."""
    with app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        agreement = Agreement(code="AG-L", partner=Partner(code="P3", name="Torch Co",
                                                           created_at=utcnow()),
                              owner=get(Unit, code="D1"), mode=AgreementMode.STOCK,
                              valid_from=date.today() - timedelta(1),
                              valid_to=date.today() + timedelta(90), lead_time_hours=4,
                              created_at=utcnow())
        agreement.lines = [AgreementLine(item=get(Item, code="1060101"), quantity=100)]
        db.session.add(agreement)
        db.session.commit()


def test_an_order_met_only_by_call_offs_is_received_through_the_pages(client, app, world,
                                                                      shelter, torch_agreement):
    login(client, "admin")
    event = new_event(client)
    order = new_order(client, event, item_code=["1060101"], quantity=["6"])
    early = client.get(f"/dispatch/orders/{order}/receive")
    assert early.status_code == 409
    assert f"调拨单 {order} 当前为 草稿：尚无在途物资可接收。" in early.get_data(as_text=True)
    assert client.post(f"/dispatch/orders/{order}/approve").status_code == 302
    page = client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    assert 'data-testid="calloffs-only"' in page and 'data-testid="dispatch"' not in page
    calloff = re.search(r'action="/dispatch/call-offs/([^/"]+)/receive"', page).group(1)
    response = client.post(f"/dispatch/call-offs/{calloff}/receive", data={
        "quantity": "7", "batch_no": "L1", "depot_code": "DEP-S1C1"})
    assert response.status_code == 422
    assert '<p class="field-error" id="quantity-error">只调用了 6' in response.get_data(as_text=True)
    response = client.post(f"/dispatch/call-offs/{calloff}/receive", data={
        "quantity": "6", "batch_no": "L1", "depot_code": "DEP-S1C1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    assert 'data-testid="order-status">已接收' in page and 'data-testid="completed-at"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(DispatchOrder.status)) is OrderStatus.RECEIVED
        assert ledger.verify(db.session) == []


def test_out_of_range_input_is_a_422_naming_the_field(client, world, shelter):
    login(client, "admin")
    for value in ("0001-01-01T00:00", "9999-12-31T23:59"):
        response = client.post("/events/new", data={"name": "x", "unit_code": "D1",
                                                     "started_at": value})
        assert response.status_code == 422 and 'id="started_at-error"' in response.get_data(
            as_text=True)
    event = new_event(client)
    for url in (f"/events/{event}/report", f"/events/{event}/report.xlsx",
                f"/events/{event}/distributions"):
        for day in ("0001-01-01", "9999-12-31", "2026-13-45", "yesterday"):
            response = client.get(f"{url}?day={day}")
            assert response.status_code == 422, (url, day)
            assert "1900-01-01" in response.get_data(as_text=True) or day in (
                "2026-13-45", "yesterday")
    assert client.get(f"/events/{event}/report?day=2026-07-01").status_code == 200
    response = client.post(f"/events/{event}/requests/new", data={
        "to_unit_code": "S1C1", "people": "5", "needed_by": "0001-01-01T00:00"})
    assert response.status_code == 422
    order = new_order(client, event, item_code=["1020101"], quantity=["5"])
    page = client.get(f"/dispatch/orders/{order}").get_data(as_text=True)
    allocation = re.search(r'name="(quantity-\d+)"', page).group(1)
    line = re.search(r'name="(line-\d+)"', page).group(1)
    huge = "1" * 30
    for url, data, field in ((f"/dispatch/orders/{order}/adjust", {allocation: huge}, allocation),
                             (f"/dispatch/orders/{order}/adjust", {allocation: "-1"}, allocation),
                             (f"/dispatch/orders/{order}/lines", {line: huge}, line),
                             (f"/dispatch/orders/{order}/adjust",
                              {"add_balance": "Q1|DEP-S1|S1", "add_quantity": huge},
                              "add_quantity")):
        response = client.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (url, data)
        assert f'<p class="field-error" id="{field}-error">' in page and "100,000,000" in page
    assert client.post(f"/dispatch/orders/{order}/approve").status_code == 302
    assert client.post(f"/dispatch/orders/{order}/pick/DEP-S1",
                       data={"payload": "/q/T/Q1"}).status_code == 303
    for field in ("departed_at", "eta"):
        response = client.post(f"/dispatch/orders/{order}/dispatch",
                               data={field: "0001-01-01T00:00"})
        assert f'id="{field}-error">请填写 1900-01-01' in response.get_data(as_text=True)
        assert response.status_code == 422
    assert client.post(f"/dispatch/orders/{order}/dispatch").status_code == 302
    receive = client.get(f"/dispatch/orders/{order}/receive").get_data(as_text=True)
    received = re.search(r'name="(received-\d+)"', receive).group(1)
    for value in ("²", huge, "-3"):
        response = client.post(f"/dispatch/orders/{order}/receive",
                               data={"depot_code": "DEP-S1C1", received: value})
        assert response.status_code == 422, value
        assert f'id="{received}-error"' in response.get_data(as_text=True), value


def test_unknown_codes_in_the_forms_are_field_errors(client, world, shelter):
    login(client, "admin")
    response = client.post("/events/new", data={"name": "x", "unit_code": "NOPE"})
    assert response.status_code == 422 and 'id="unit_code-error"' in response.get_data(as_text=True)
    event = new_event(client)
    url = f"/events/{event}/requests/new"
    for data, field in (({"to_unit_code": "NOPE", "people": "5"}, 'id="to_unit_code-error"'),
                        ({"to_unit_code": "S1C1", "to_depot_code": "NOPE", "people": "5"},
                         'id="to_depot_code-error"'),
                        ({"to_unit_code": "S1C1", "item_code": ["9999999"], "quantity": ["1"]},
                         '<p class="field-error">第 1 行')):
        response = client.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and field in page, (data, page[:3000])
    assert "未找到物资 9999999" in page
    order = new_order(client, event, item_code=["1020101"], quantity=["5"])
    response = client.post(f"/dispatch/orders/{order}/adjust",
                           data={"add_balance": "NOPE|DEP-S1|S1", "add_quantity": "1"})
    assert response.status_code == 422
    assert 'id="add_balance-error"' in response.get_data(as_text=True)
    response = client.post(f"/events/{event}/distribute", data={
        "request_id": "dist-00000009", "depot_code": "NOPE", "household_head": "张三",
        "id_number": "150602199001011234", "household_size": "1",
        "item_code": ["1020101"], "quantity": ["1"]})
    assert response.status_code == 422
    assert 'id="depot_code-error"' in response.get_data(as_text=True)
    response = client.post(f"/events/{event}/distribute", data={
        "request_id": "dist-00000010", "depot_code": "DEP-S1C1", "household_head": "张三",
        "id_number": "150602199001011234", "household_size": "1",
        "item_code": ["9999999"], "quantity": ["1"]})
    assert response.status_code == 422 and "第 1 行" in response.get_data(as_text=True)
    listed = client.get(f"/events/{event}/distributions?depot=NOPE")
    assert listed.status_code == 422 and "未找到仓库 NOPE" in listed.get_data(as_text=True)
    client.post(f"/dispatch/orders/{order}/approve")
    client.post(f"/dispatch/orders/{order}/pick/DEP-S1", data={"payload": "/q/T/Q1"})
    client.post(f"/dispatch/orders/{order}/dispatch")
    response = client.post(f"/dispatch/orders/{order}/receive", data={"depot_code": "NOPE"})
    assert response.status_code == 422
    assert 'id="depot_code-error"' in response.get_data(as_text=True)


def test_the_sign_off_sheet_prints_every_household(client, app, world, shelter):
    login(client, "admin")
    event = new_event(client)
    with app.app_context():
        from inventory.models import DisasterEvent, Depot, Item, User
        from inventory.services import distribution
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        factories.receive(db.session, get(Item, code="1020101"), get(Depot, code="DEP-S1C1"),
                          60, lot_code="Q-SHELTER")
        for number in range(55):
            distribution.distribute(
                db.session, get(User, username="admin"), event=get(DisasterEvent, code=event),
                depot=get(Depot, code="DEP-S1C1"), household_head=f"户主{number:02d}",
                id_number="150602199001011234", household_size=2,
                lines=[(get(Item, code="1020101"), 1)], request_id=f"sheet-{number:04d}",
                now=utcnow())
        db.session.commit()
    register = client.get(f"/events/{event}/distributions?depot=DEP-S1C1").get_data(as_text=True)
    assert len(re.findall(r"户主\d\d", register)) == 50  # the register on screen is paginated
    link = re.search(r'href="([^"]*/distributions/sheet[^"]*)" data-testid="signoff-link"',
                     register).group(1).replace("&amp;", "&")
    sheet = client.get(link)
    page = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and len(re.findall(r"户主\d\d", page)) == 55
    assert "户主00" in page and "户主54" in page and "150602199001011234" not in page
    assert client.get(f"/events/{event}/distributions/sheet?day=0001-01-01").status_code == 422


def test_pick_page_refusals_read_in_the_users_language(client, world, shelter):
    login(client, "admin")
    event = new_event(client)
    order = new_order(client, event, item_code=["1020101"], quantity=["5"])
    client.post(f"/dispatch/orders/{order}/approve")
    url = f"/dispatch/orders/{order}/pick/DEP-S1"
    response = client.post(url, data={"payload": "/q/T/Q1", "quantity": "abc"})
    error = re.search(r'data-testid="pick-error">([^<]*)<', response.get_data(as_text=True))
    assert response.status_code == 422 and error.group(1) == "数量：请输入整数。"
    client.get("/?lang=en")
    response = client.post(url, data={"payload": "/q/T/Q1", "quantity": "abc"})
    error = re.search(r'data-testid="pick-error">([^<]*)<', response.get_data(as_text=True))
    assert error.group(1) == "Quantity: Not a valid whole number."
    response = client.post(url, data={"payload": "/q/T/Q1", "quantity": "6"})
    error = re.search(r'data-testid="pick-error">([^<]*)<', response.get_data(as_text=True))
    assert response.status_code == 409
    assert error.group(1) == f"Too many: only 5 of Quilt are still to pick here for order {order}."
