"""What a scanned label means, and what the keeper needs to know next."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Balance, Depot, DispatchOrder, Lot, Unit, User
from inventory.qr import Scanned, clean, parse
from inventory.services import access, dispatch_picking, units
from inventory.services.bookings import fefo_hint
from inventory.services.dispatch import get_order
from inventory.services.errors import N_, NotFound, field_error
from inventory.services.movements import get_lot


_CODES = {"lot": Lot.lot_code, "depot": Depot.code, "order": DispatchOrder.code}
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")  # what lot, depot and order codes look like


def read(session: Session, text: str) -> Scanned:
    """The label behind a scanned text: a URL or /q/ path, or a bare lot, depot or order code.

    Undoes what a Chinese input method makes of a handheld scanner's keys (qr.clean), and
    takes a code that differs from a stored one only in case (Caps Lock on) as that one.
    """
    text = clean(text)
    scanned = parse(text)
    if scanned is not None:
        return Scanned(scanned.kind, _stored(session, scanned.kind, scanned.code) or scanned.code)
    for find in (_exact, _any_case) if text else ():
        for kind in _CODES:
            code = find(session, kind, text)
            if code is not None:
                return Scanned(kind, code)
    if _CHINESE.search(text):
        raise field_error("payload", N_("The scanner typed Chinese characters: switch the "
                                        "input method to English (usually the Shift key) "
                                        "and scan again."))
    if _CODE.match(text):  # typed, or a label printed from a code: say what was looked for
        raise field_error("payload", N_("No lot, depot or dispatch order has the code "
                                        "%(code)s."), code=text)
    raise field_error("payload", N_("This is not one of our labels."))


def _stored(session: Session, kind: str, code: str) -> str | None:
    return _exact(session, kind, code) or _any_case(session, kind, code)


def _exact(session: Session, kind: str, code: str) -> str | None:
    column = _CODES[kind]
    return session.scalar(sa.select(column).where(column == code))


def _any_case(session: Session, kind: str, code: str) -> str | None:
    """The only stored code that differs from this one just in case, if there is one."""
    column = _CODES[kind]
    same = session.scalars(sa.select(column).where(sa.func.upper(column) == code.upper())
                           .limit(2)).all()
    return same[0] if len(same) == 1 else None


def resolve(session: Session, user: User, text: str, *, depot_code: str | None,
            today: date) -> dict[str, Any]:
    """Describe the scanned lot (with on-hand at the keeper's depot), depot or dispatch order."""
    scanned = read(session, text)
    if scanned.kind == "depot":
        depot = access.require_depot(user, units.get_depot(session, scanned.code))
        return {"kind": "depot", "code": depot.code, "name": depot.name,
                "depot": {"code": depot.code, "name": depot.name, "unit_code": depot.unit.code,
                          "unit_name": depot.unit.name}, "owners": [], "warnings": []}
    if scanned.kind == "order":
        depot = (access.require_depot(user, units.get_depot(session, depot_code))
                 if depot_code else None)
        return dispatch_picking.describe(session, user, get_order(session, user, scanned.code),
                                         depot)
    if scanned.kind != "lot":
        raise NotFound(N_("%(kind)s %(code)s not found."), kind=scanned.kind, code=scanned.code)
    lot = get_lot(session, scanned.code)
    if lot is None:
        raise NotFound(N_("Lot %(code)s not found."), code=scanned.code)
    result = {"kind": "lot", "code": lot.lot_code, "name": lot.item.name,
              "item": _item(lot), "lot": _lot(lot, today), "owners": [], "warnings": []}
    if depot_code:
        depot = access.require_depot(user, units.get_depot(session, depot_code))
        result.update(_here(session, lot, depot))
        hint = fefo_hint(session, lot, depot, today)
        result["warnings"] += [hint] if hint else []
    return result


def _item(lot: Lot) -> dict[str, Any]:
    item = lot.item
    return {"code": item.code, "name": item.name, "name_en": item.name_en,
            "unit": item.unit_of_measure, "pack_size": item.pack_size,
            "category": item.category.value, "critical": item.critical}


def _lot(lot: Lot, today: date) -> dict[str, Any]:
    return {"code": lot.lot_code, "batch_no": lot.batch_no,
            "expiry_date": lot.expiry_date.isoformat() if lot.expiry_date else None,
            "expired": lot.is_expired(today),
            "days_to_expiry": (lot.expiry_date - today).days if lot.expiry_date else None,
            "status": lot.status.value}


def _here(session: Session, lot: Lot, depot: Depot) -> dict[str, Any]:
    rows = session.execute(
        sa.select(Unit.code, Unit.name, Balance.quantity, Balance.reserved)
        .join(Balance, Balance.owner_id == Unit.id)
        .where(Balance.lot_id == lot.id, Balance.depot_id == depot.id)
        .order_by(Unit.id != depot.unit_id, Unit.code)).all()
    owners = [{"code": code, "name": name, "quantity": quantity, "reserved": reserved}
              for code, name, quantity, reserved in rows if quantity or reserved]
    return {"depot": {"code": depot.code, "name": depot.name, "unit_code": depot.unit.code,
                      "unit_name": depot.unit.name},
            "on_hand": sum(r.quantity for r in rows),
            "available": sum(r.quantity - r.reserved for r in rows), "owners": owners}
