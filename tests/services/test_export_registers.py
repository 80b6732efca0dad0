"""Registers read back with pandas: the loss / scrap / write-off register and the dispatch
register hold every record, not only the finished ones."""
import io
from datetime import date, timedelta

import pandas as pd
import pytest

from inventory.labels import labeler
from inventory.models import (Agreement, AgreementLine, AgreementMode, Item, MovementKind,
                              Partner, Unit, utcnow)
from inventory.reports import xlsx_bytes
from inventory.services import dispatch, dispatch_picking, dispatch_receipt, exports, movements
from inventory.services.dispatch_receipt import ReceivedLine
from tests import factories
from tests.services.test_dispatch import QUILT, TENT, TORCH, ctx, get, order_for  # noqa: F401
from tests.services.test_dispatch_picking import scan


def read(session, kind, locale="zh", **kw) -> pd.DataFrame:
    args = exports.ExportArgs(today=date.today(), locale=locale, label=labeler(locale), **kw)
    table = exports.EXPORTS[kind](session, args)
    return pd.read_excel(io.BytesIO(xlsx_bytes(table)), dtype=str).fillna("")


def book_loss(session, world, kind, lot, depot, quantity, reason):
    return movements.issue(session, factories.actor(world.users["keeper"], reason),
                           lot=world.lots[lot], depot=world.depots[depot],
                           owner=world.depots[depot].unit, quantity=quantity, now=utcnow(),
                           kind=kind)


def loss_of_two_in_q1(app) -> None:
    """Book and commit a loss of 2 from lot Q1 at DEP-S1 ("rats"), as the pages will see it."""
    from inventory.extensions import db
    from inventory.models import Depot, Lot

    with app.app_context():
        depot = get(db.session, Depot, code="DEP-S1")
        movements.issue(db.session, factories.actor(None, "rats"),
                        lot=get(db.session, Lot, lot_code="Q1"), depot=depot, owner=depot.unit,
                        quantity=2, now=utcnow(), kind=MovementKind.LOSS)
        db.session.commit()


def test_every_loss_and_scrap_is_listed_with_its_write_off_status(session, world):
    loss = book_loss(session, world, MovementKind.LOSS, "Q1", "DEP-S1", 2, "rats")
    scrap = book_loss(session, world, MovementKind.SCRAP, "T1", "DEP-D1", 3, "torn")
    wrong = book_loss(session, world, MovementKind.LOSS, "T2", "DEP-D2", 1, "typo")
    session.commit()
    frame = read(session, "write-offs")
    assert list(frame["核销状态"]) == ["待核销"] * 3  # nothing approved yet, all listed
    bureau = factories.actor(world.users["admin"], "approved")
    movements.write_off(session, bureau, movement=loss, now=utcnow())
    movements.reverse(session, factories.actor(world.users["admin"]), movement=wrong, now=utcnow())
    session.commit()
    frame = read(session, "write-offs")
    rows = {r["批次编码"]: r for r in frame.to_dict("records")}
    assert (rows["Q1"]["类型"], rows["Q1"]["核销状态"], rows["Q1"]["核销人"],
            rows["Q1"]["核销说明"], rows["Q1"]["数量"]) == ("损耗", "已核销", "admin", "approved", "2")
    assert rows["Q1"]["核销时间(UTC)"] != "" and rows["Q1"]["原因"] == "rats"
    assert (rows["T1"]["类型"], rows["T1"]["核销状态"], rows["T1"]["核销人"]) == ("报废", "待核销", "")
    assert rows["T2"]["核销状态"] == "已冲销"
    assert scrap.quantity == 3
    district = read(session, "write-offs", unit=world.units["D1"])
    assert set(district["批次编码"]) == {"Q1", "T1"}
    english = read(session, "write-offs", locale="en")
    assert list(english.columns[:3]) == ["Booked (UTC)", "Kind", "Status"]


def test_losses_in_transit_found_at_receipt_are_in_the_register(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 20)])
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    scan(session, user("keeper"), order, "Q1", 20)
    dispatch_picking.dispatch(session, user("admin"), order, now=utcnow())
    quilt = get(session, Item, code=QUILT)
    dispatch_receipt.receive(session, user("admin"), order, now=utcnow(),
                             lines=[ReceivedLine(item=quilt, quantity=17)])
    session.commit()
    frame = read(session, "write-offs")
    assert [(r["储备库"], r["数量"], r["调拨单号"], r["核销状态"]) for r in frame.to_dict("records")] == [
        ("DEP-S1C1", "3", order.code, "待核销")]


def test_the_write_off_page_lists_pending_losses_in_its_register(client, app, world):
    from tests.conftest import login

    loss_of_two_in_q1(app)
    login(client, "viewer")
    page = client.get("/write-offs").get_data(as_text=True)
    register = page.split('id="loss-register"')[1]
    assert 'data-status="pending"' in register and "待核销" in register and "rats" in register


# --- the dispatch register ------------------------------------------------------------------

@pytest.fixture
def quilt_agreement(session, world):
    now = utcnow()
    agreement = Agreement(code="AG-Q", partner=Partner(code="P2", name="Quilt Co", created_at=now),
                          owner=get(session, Unit, code="D1"), mode=AgreementMode.SUPPLY,
                          valid_from=date.today() - timedelta(1),
                          valid_to=date.today() + timedelta(90), lead_time_hours=6,
                          created_at=now)
    agreement.lines = [AgreementLine(item=get(session, Item, code=QUILT), quantity=100)]
    session.add(agreement)
    session.commit()
    return agreement


def test_dispatch_register_holds_allocations_call_offs_and_unmet_lines(session, ctx,
                                                                       quilt_agreement):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 60), (TORCH, 5)], user="admin")
    dispatch.approve(session, user("admin"), order, now=utcnow())
    session.commit()
    frame = read(session, "dispatches")
    rows = [(r["来源"], r["物资编码"], r["调拨数量"], r["协议编号"], r["协议企业"],
             r["未满足数量"]) for r in frame.to_dict("records")]
    assert rows == [("储备库", QUILT, "50", "", "", ""),
                    ("协议调用", QUILT, "10", "AG-Q", "Quilt Co", ""),
                    ("未满足", TORCH, "", "", "", "5")]
    calloff = frame.to_dict("records")[1]
    assert calloff["响应时限(小时)"] == "6" and calloff["应到时间(UTC)"] != ""
    dispatch_receipt.receive_calloff(session, user("admin"), order.calloffs[0], quantity=10,
                                     now=utcnow())
    session.commit()
    calloff = read(session, "dispatches").to_dict("records")[1]
    assert calloff["已接收"] == "10" and calloff["接收时间(UTC)"] != ""


def test_an_order_met_only_by_an_agreement_is_in_the_register(session, ctx, quilt_agreement):
    _, _, user = ctx
    # District One's 50 quilts are reserved by a first order; the second is met by the partner.
    first = order_for(session, ctx, [(QUILT, 50)], user="admin")
    dispatch.approve(session, user("admin"), first, now=utcnow())
    second = order_for(session, ctx, [(QUILT, 30)], user="admin")
    session.commit()
    frame = read(session, "dispatches")
    mine = [r for r in frame.to_dict("records") if r["调拨单号"] == second.code]
    assert [(r["来源"], r["调拨数量"], r["协议编号"]) for r in mine] == [("协议调用", "30", "AG-Q")]
    assert TENT not in set(frame["物资编码"])


def test_the_write_off_page_refuses_bad_paging_and_the_exports_hold_the_loss(client, runner,
                                                                             app, world,
                                                                             tmp_path):
    from tests.conftest import login

    loss_of_two_in_q1(app)
    login(client, "bureau")
    for query in ("page=1000000000000000000000", "page=0", "page=abc", "colour=red"):
        assert client.get(f"/write-offs?{query}").status_code == 422, query
    web = pd.read_excel(io.BytesIO(client.get("/exports/write-offs.xlsx").data), dtype=str)
    assert list(web["原因"]) == ["rats"] and list(web["核销状态"]) == ["待核销"]
    target = tmp_path / "write-offs.csv"
    assert runner.invoke(args=["export", "write-offs", str(target)]).exit_code == 0
    cli = pd.read_csv(io.StringIO(target.read_text(encoding="utf-8-sig")), dtype=str)
    assert list(cli["原因"]) == ["rats"] and list(cli["数量"]) == ["2"]
