"""bookings.book_many: every refused line is named in one LineErrors; nothing is kept."""
from datetime import date, datetime, timedelta, timezone

import pytest

from inventory.services import bookings
from inventory.services.line_checks import ExpiredReceipt, LineErrors

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)


def receipt(**kw) -> dict:
    return {"kind": "receive", "depot_code": "DEP-S1", "request_id": "note-0001",
            "reason": "", "quantity": 2, **kw}


def test_all_refused_lines_are_named_with_their_fields(session, world):
    commands = [receipt(item_code="1020101", batch_no="A"),
                receipt(item_code="1040101", batch_no="B"),  # shelf life, no expiry
                receipt(item_code="1020101", batch_no="C", owner_code="NOPE"),
                receipt(item_code="1020101", batch_no="D", expiry_date=date(2020, 1, 1)),
                receipt(item_code="9999999", owner_code="NOPE2")]
    with pytest.raises(LineErrors) as raised:
        bookings.book_many(session, world.users["keeper"], commands, request_id="note-0001",
                           now=NOW, request_hash="h")
    fields = {number: [list(e.errors) for e in found]
              for number, found in raised.value.lines.items()}
    assert fields == {2: [["expiry_date"]], 3: [["owner_code"]], 4: [["expiry_date"]],
                      5: [["item_code"], ["owner_code"]]}
    assert isinstance(raised.value.lines[4][0], ExpiredReceipt)


def test_a_confirmed_past_expiry_is_booked(session, world):
    booking = bookings.book_many(
        session, world.users["keeper"],
        [receipt(item_code="1020101", batch_no="D", expiry_date=NOW.date() - timedelta(days=1),
                 confirm_expired=True)],
        request_id="note-0002", now=NOW, request_hash="h")
    assert [b.quantity for b in booking.balances] == [2]
