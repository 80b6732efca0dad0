"""Bookings (POST /movements), the ledger (GET /movements), reversals and scans."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy.exc import IntegrityError

from inventory.api import bp
from inventory.api.common import args, dump_page, json_body, paging
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import utcnow
from inventory.schemas.common import page_schema
from inventory.schemas.movements import (BookingOut, MovementArgs, MovementIn, MovementOut,
                                         ReverseIn, ScanIn, ScanOut)
from inventory.services import bookings, ledger, movements, scans
from inventory.services.access import Permission
from inventory.services.errors import DomainError
from inventory.services.pagination import paginate
from inventory.web.dispatch_links import order_page_url


# Schema instances are stateless and reused: building one per request (marshmallow deep-copies
# every declared field) cost as much as the booking itself on the scan path.
MOVEMENT_IN, BOOKING_OUT = MovementIn(), BookingOut()


def request_hash(body: Any) -> str:
    """Fingerprint of a request body: same id + same body = replay, other body = conflict."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def dump_booking(booking: bookings.Booking) -> dict[str, Any]:
    warnings = [{**w, "message": translate(w["message"], **w.get("params", {}))}
                for w in booking.warnings]
    return BOOKING_OUT.dump({"movements": booking.movements, "balances": booking.balances,
                              "warnings": warnings, "replayed": booking.replayed})


def commit_booking(action, request_id: str, body_hash: str) -> bookings.Booking:
    """Run a booking and commit.

    A request id already in the ledger (a retry after a lost response, or its concurrent
    twin) fails: on the unique insert, or earlier when stock has moved on since. Then the
    first booking is the answer (a replay), or IdempotencyConflict when that id carried
    another body. The usual first-time booking pays no extra lookup.
    """
    try:
        booking = action()
        db.session.commit()
        return booking
    except (IntegrityError, DomainError):
        db.session.rollback()
        replay = movements.find_replay(db.session, request_id, body_hash)
        if replay is None:
            raise
        return bookings.booking_of(db.session, replay, replayed=True)


def committed(action, request_id: str, body_hash: str):
    booking = commit_booking(action, request_id, body_hash)
    return dump_booking(booking), 200 if booking.replayed else 201


@bp.post("/movements")
@documented("Book stock in, out, across or counted (idempotent by request_id)", "movements",
            body=MovementIn, response=BookingOut, status=201,
            extra_statuses={"200": "Replay of an earlier request_id with the same body"})
@permission_required(Permission.BOOK_STOCK)
def movements_create():
    body = json_body()
    command = MOVEMENT_IN.load(body)
    body_hash = request_hash(body)
    return committed(lambda: bookings.book(db.session, current_actor(), command, now=utcnow(),
                                           request_hash=body_hash),
                     command["request_id"], body_hash)


@bp.post("/movements/<int:movement_id>/reverse")
@documented("Reverse a movement with an opposite entry", "movements", body=ReverseIn,
            response=BookingOut, status=201)
@permission_required(Permission.BOOK_STOCK)
def movements_reverse(movement_id: int):
    body = json_body()
    data = ReverseIn().load(body)
    body_hash = request_hash({"reverse": movement_id, **body})
    return committed(lambda: bookings.reverse(
        db.session, current_actor(), movement_id=movement_id, request_id=data["request_id"],
        reason=data["reason"], request_hash=body_hash, now=utcnow()), data["request_id"], body_hash)


@bp.get("/movements")
@documented("The ledger: movements you may see, newest first", "movements", query=MovementArgs,
            response=page_schema(MovementOut))
@permission_required(Permission.VIEW)
def movements_list():
    values = args(MovementArgs())
    page_args = paging(values)
    stmt = ledger.ledger_query(db.session, current_actor(), values)
    return dump_page(paginate(db.session, stmt, **page_args), MovementOut())


@bp.post("/scans")
@documented("Resolve a scanned label to a lot, depot or order", "scans", body=ScanIn,
            response=ScanOut)
@permission_required(Permission.VIEW)
def scans_create():
    data = ScanIn().load(json_body())
    result = scans.resolve(db.session, current_actor(), data["payload"],
                           depot_code=data.get("depot_code"), today=date.today())
    result["warnings"] = [{**w, "message": translate(w["message"], **w.get("params", {}))}
                          for w in result["warnings"]]
    result["url"] = _page_url(result)
    return ScanOut().dump(result)


def _page_url(result: dict) -> str:
    if result["kind"] == "lot":
        return url_for("web.lot_detail", lot_code=result["code"])
    if result["kind"] == "order":
        return order_page_url(result["code"], result["order"])
    return url_for("web.depot_detail", depot_code=result["code"])

