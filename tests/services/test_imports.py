"""Imports: a good file books everything, a file with bad rows books nothing and names them,
and a stock export imported into an empty reserve gives the same stock."""
import io
from datetime import date, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from inventory.labels import aliases
from inventory.models import Balance, Depot, Item, Lot, Movement, Unit, utcnow
from inventory.reports import read_table, xlsx_bytes
from inventory.services import exports, imports, ledger
from tests import factories

TIERS = factories.TIERS
EXPIRY = (date.today() + timedelta(days=400)).isoformat()


def run(session, kind, frame_or_rows, user=None, batch="b1"):
    if isinstance(frame_or_rows, pd.DataFrame):
        buffer = io.BytesIO()
        frame_or_rows.to_excel(buffer, index=False)
        headers, rows = read_table(buffer.getvalue(), "f.xlsx")
    else:
        headers, rows = frame_or_rows
    return imports.run_import(session, kind, headers, rows, user=user, now=utcnow(), tiers=TIERS,
                              aliases=aliases(TIERS), batch=batch)


def stock_frame(rows):
    return pd.DataFrame(rows, columns=["物资编码", "批次编码", "有效期至", "储备库编码", "储备单位编码", "数量", "来源"])


def test_a_good_file_books_every_row_through_the_ledger(session, world):
    frame = stock_frame([["1020101", "QX-1", "", "DEP-S2", "", "40", "捐赠"],
                         ["1040101", "FOOD-9", EXPIRY, "DEP-S2", "D1", "300", "procurement"]])
    result = run(session, "stock", frame)
    assert result.ok, result.errors
    assert result.summary == {"booked": 2, "pieces": 340}
    quilt = session.scalar(sa.select(Lot).where(Lot.lot_code == "QX-1"))
    assert quilt.source.value == "donation"
    balances = {(b.lot.lot_code, b.owner.code): b.quantity for b in session.scalars(sa.select(Balance))}
    assert balances[("QX-1", "S2")] == 40 and balances[("FOOD-9", "D1")] == 300
    assert session.scalar(sa.select(sa.func.count()).where(Movement.request_id.like("import:b1:%"))) == 2
    assert ledger.verify(session) == []


def test_a_file_with_bad_rows_books_nothing_and_lists_each_one(session, world):
    before = session.scalar(sa.select(sa.func.count(Movement.id)))
    frame = stock_frame([["1020101", "OK-1", "", "DEP-S2", "", "5", ""],
                         ["9999999", "X", "", "DEP-S2", "", "5", ""],
                         ["1040101", "F-2", "", "DEP-S2", "", "5", ""],
                         ["1020101", "OK-2", "", "NOPE", "", "-3", ""],
                         ["1020101", "T1", "", "DEP-S2", "", "5", ""]])
    result = run(session, "stock", frame)
    found = {(e.row, e.column, e.message) for e in result.errors}
    assert (3, "物资编码", "Item %(code)s not found.") in found
    assert (4, "有效期至", "Item %(item)s has a shelf life: give the expiry date.") in found
    assert (5, "储备库编码", "Depot %(code)s not found.") in found
    assert any(row == 5 and column == "数量" for row, column, _ in found)
    assert (6, "批次编码", "Lot %(lot)s belongs to another item.") in found
    assert not any(e.row == 2 for e in result.errors)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(Movement.id))) == before


def test_missing_required_columns_are_named(session, world):
    result = run(session, "stock", (["物资编码", "数量"], [["1020101", "3"]]))
    assert result.errors[0].row == 1 and "储备库编码" in result.errors[0].column


def test_the_same_file_is_not_booked_twice(session, world):
    frame = stock_frame([["1020101", "QX-1", "", "DEP-S2", "", "40", ""]])
    assert run(session, "stock", frame, batch="same").ok
    session.commit()
    again = run(session, "stock", frame, batch="same")
    assert not again.ok and "already been imported" in again.errors[0].message


def test_a_keeper_cannot_import_stock_into_another_area(session, world):
    frame = stock_frame([["1020101", "QX-1", "", "DEP-D2", "", "4", ""]])
    result = run(session, "stock", frame, user=world.users["keeper"])
    assert [(e.row, e.message) for e in result.errors] == [(2, "Depot %(code)s is outside your area.")]


def test_a_stock_export_imported_into_an_empty_reserve_gives_the_same_stock(make_app):
    source, target = make_app(), make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    from inventory.extensions import db

    with source.app_context():
        factories.build_world(db.session)
        db.session.commit()
        table = exports.stock(db.session, exports.ExportArgs(today=date.today()))
        data = xlsx_bytes(table)
        before = _stock(db.session)
    with target.app_context():
        _master_data(db.session)
        headers, rows = read_table(data, "stock.xlsx")
        result = imports.run_import(db.session, "stock", headers, rows, user=None, now=utcnow(),
                                    tiers=TIERS, aliases=aliases(TIERS), batch="export")
        assert result.ok, result.errors
        db.session.commit()
        assert _stock(db.session) == before


def _stock(session):
    stmt = (sa.select(Lot.lot_code, Depot.code, Unit.code, Balance.quantity, Lot.expiry_date)
            .join(Balance.lot).join(Balance.depot).join(Unit, Balance.owner_id == Unit.id)
            .where(Balance.quantity > 0))
    return sorted(tuple(row) for row in session.execute(stmt))


def _master_data(session):
    """The world's units, depots and items without its stock."""
    world = factories.build_world(session)
    for balance in session.scalars(sa.select(Balance)):
        session.delete(balance)
    session.execute(sa.delete(Movement))
    session.execute(sa.delete(Lot))
    session.flush()
    return world


def test_catalogue_import_updates_only_the_columns_given(session, world):
    frame = pd.DataFrame([["1020101", "新棉被", "床"], ["1099999", "折叠床", "张"]],
                         columns=["物资编码", "物资名称", "计量单位"])
    result = run(session, "items", frame)
    assert result.ok and result.summary == {"updated": 1, "created": 1}
    quilt = session.scalar(sa.select(Item).where(Item.code == "1020101"))
    assert quilt.name == "新棉被" and float(quilt.per_person) == 1 and quilt.critical


def test_units_and_depots_import_in_tree_order_with_labels(session, world):
    units = pd.DataFrame([["S3", "第三街道", "街道", "D1", "9000"], ["S3C1", "新社区", "社区", "S3", ""],
                          ["BAD", "坏", "区级", "S1", ""]],
                         columns=["单位编码", "单位名称", "层级", "上级单位编码", "常住人口"])
    result = run(session, "units", units)
    assert [(e.row, e.column, e.params.get("parent")) for e in result.errors] == [(4, "层级", "street")]
    session.rollback()
    result = run(session, "units", units.iloc[:2])
    assert result.ok, result.errors
    depots = pd.DataFrame([["DEP-S3", "第三街道储备点", "S3", "储备点"]],
                          columns=["储备库编码", "储备库名称", "所属单位编码", "类型"])
    assert run(session, "depots", depots).ok
    depot = session.scalar(sa.select(Depot).where(Depot.code == "DEP-S3"))
    assert depot.kind.value == "reserve_point" and depot.unit.parent.code == "D1"


def test_agreement_lines_are_added_or_changed_on_existing_agreements(session, world):
    from inventory.models import AgreementMode, Partner
    from inventory.services import agreements

    partner = agreements.create_partner(session, code="P1", name="Partner", now=utcnow())
    terms = agreements.AgreementTerms(partner=partner, owner=world.units["D1"],
                                      mode=AgreementMode.SUPPLY, valid_from=date.today(),
                                      valid_to=date.today() + timedelta(days=365),
                                      lead_time_hours=6)
    agreement = agreements.create_agreement(session, code="XY-1", terms=terms, now=utcnow(),
                                            lines=[{"item_code": "1020101", "quantity": 100}])
    session.commit()
    frame = pd.DataFrame([["XY-1", "1020101", "250"], ["XY-1", "1010101", "40"],
                          ["XY-9", "1010101", "1"]], columns=["协议编号", "物资编码", "协议数量"])
    refused = run(session, "agreement_lines", frame)
    assert [(e.row, e.column) for e in refused.errors] == [(4, "协议编号")]
    session.rollback()
    result = run(session, "agreement_lines", frame.iloc[:2])
    assert result.ok and result.summary == {"updated": 1, "created": 1}
    session.refresh(agreement)
    assert {line.item.code: line.quantity for line in agreement.lines} == {"1020101": 250, "1010101": 40}
    assert isinstance(partner, Partner)
    keeper = run(session, "agreement_lines", frame.iloc[:1], user=world.users["keeper"])
    assert keeper.errors and keeper.errors[0].message == "Your role does not allow this."


# --- the importer's area: existing records outside it are never changed ---------------------

def test_a_depot_of_another_area_cannot_be_moved_into_yours(session, world):
    bureau = world.users["bureau"]  # District One
    frame = pd.DataFrame([["DEP-D2", "Stolen depot", "D1"], ["DEP-S1", "Renamed", "S1"]],
                         columns=["储备库编码", "储备库名称", "所属单位编码"])
    result = run(session, "depots", frame, user=bureau)
    assert [(e.row, e.column, e.message, e.params) for e in result.errors] == [
        (2, "储备库编码", "Depot %(code)s is outside your area.", {"code": "DEP-D2"})]
    session.rollback()
    assert session.scalar(sa.select(Depot).where(Depot.code == "DEP-D2")).unit.code == "D2"
    assert run(session, "depots", frame.iloc[1:], user=bureau).ok  # its own depot: fine


def test_a_unit_of_another_area_cannot_be_annexed(session, world):
    bureau = world.users["bureau"]
    frame = pd.DataFrame([["D2", "Annexed", "street", "D1"]],
                         columns=["单位编码", "单位名称", "层级", "上级单位编码"])
    result = run(session, "units", frame, user=bureau)
    assert [(e.row, e.column, e.message, e.params) for e in result.errors] == [
        (2, "单位编码", "Unit %(code)s is outside your area.", {"code": "D2"})]
    session.rollback()
    d2 = session.scalar(sa.select(Unit).where(Unit.code == "D2"))
    assert d2.parent.code == "C1" and d2.name == "District Two"


def test_units_of_the_area_are_updated_in_place_without_a_parent_column(session, world):
    bureau = world.users["bureau"]
    renamed = pd.DataFrame([["S2", "第二街道", "street"]], columns=["单位编码", "单位名称", "层级"])
    result = run(session, "units", renamed, user=bureau)
    assert result.ok, result.errors
    s2 = session.scalar(sa.select(Unit).where(Unit.code == "S2"))
    assert s2.name == "第二街道" and s2.parent.code == "D1"  # not moved to the top
    # Its own unit keeps its parent outside the area; moving it there is refused.
    kept = pd.DataFrame([["D1", "一区", "district", "C1"]],
                        columns=["单位编码", "单位名称", "层级", "上级单位编码"])
    assert run(session, "units", kept, user=bureau).ok
    moved = pd.DataFrame([["S2", "x", "street", "D2"]],
                         columns=["单位编码", "单位名称", "层级", "上级单位编码"])
    assert [e.column for e in run(session, "units", moved, user=bureau).errors] == ["上级单位编码"]


def test_stock_cannot_be_booked_for_an_owner_outside_the_area(session, world):
    frame = stock_frame([["1020101", "QX-1", "", "DEP-S1", "D2", "4", ""],
                         ["1020101", "QX-2", "", "DEP-S1", "C1", "4", ""]])  # upper unit: fine
    result = run(session, "stock", frame, user=world.users["bureau"])
    assert [(e.row, e.column, e.params) for e in result.errors] == [
        (2, "储备单位编码", {"code": "D2"})]


def test_stock_into_an_existing_lot_of_another_area_touches_only_your_depot(session, world):
    frame = stock_frame([["1010101", "T2", "", "DEP-S1", "", "5", ""]])  # T2 sits in DEP-D2
    assert run(session, "stock", frame, user=world.users["bureau"]).ok
    held = {b.depot.code: b.quantity for b in session.scalars(
        sa.select(Balance).join(Lot).where(Lot.lot_code == "T2"))}
    assert held == {"DEP-D2": 30, "DEP-S1": 5}


def test_agreement_lines_of_another_areas_agreement_are_refused(session, world):
    from inventory.models import AgreementMode
    from inventory.services import agreements

    partner = agreements.create_partner(session, code="P2", name="Partner", now=utcnow())
    terms = agreements.AgreementTerms(partner=partner, owner=world.units["D2"],
                                      mode=AgreementMode.SUPPLY, valid_from=date.today(),
                                      valid_to=date.today() + timedelta(days=365),
                                      lead_time_hours=6)
    agreements.create_agreement(session, code="XY-D2", terms=terms, now=utcnow(),
                                lines=[{"item_code": "1020101", "quantity": 100}])
    frame = pd.DataFrame([["XY-D2", "1020101", "1"]], columns=["协议编号", "物资编码", "协议数量"])
    result = run(session, "agreement_lines", frame, user=world.users["bureau"])
    assert [(e.row, e.column, e.params) for e in result.errors] == [(2, "协议编号", {"code": "D2"})]
    assert run(session, "agreement_lines", frame, user=world.users["admin"]).ok


def test_csv_files_are_read_in_every_encoding_excel_writes_and_binary_is_refused():
    from inventory.reports import UnreadableFile

    text = "物资编码,数量\n1010101,5\n"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"),
                 text.encode("gb18030"), b"\xff\xfe" + text.encode("utf-16-le"),
                 b"\xfe\xff" + text.encode("utf-16-be")):
        assert read_table(data, "stock.csv") == (["物资编码", "数量"], [["1010101", "5"]])
    with pytest.raises(UnreadableFile):
        read_table(b"\x00\x01\x02\xff" * 50, "stock.csv")
