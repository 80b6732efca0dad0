"""Where an order's goods can come from: free depot stock and what agreements still offer.

These load the inputs of the pure `services.allocation.propose`.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import (Agreement, AgreementLine, Balance, CallOff, CallOffStatus, Depot,
                              Lot, Unit)
from inventory.services import allocation
from inventory.services.errors import N_, InsufficientStock
from inventory.services.queries import agreement_valid, available_lot, expired

# Call-offs that use up an agreement's quantity.
ACTIVE_CALLOFFS = (CallOffStatus.CALLED, CallOffStatus.RECEIVED)


def candidates(session: Session, item_ids: Sequence[int], *, on: date,
               exclude_depot_id: int | None = None) -> list[allocation.Candidate]:
    """Balances of these items with free, usable quantity (not expired, not quarantined)."""
    depot_unit, owner_unit = aliased(Unit), aliased(Unit)
    stmt = (sa.select(Balance.lot_id, Balance.depot_id, Balance.owner_id,
                      (Balance.quantity - Balance.reserved).label("free"), Lot.item_id,
                      Lot.expiry_date, Lot.lot_code, Depot.code.label("depot_code"),
                      depot_unit.path.label("depot_path"), owner_unit.path.label("owner_path"),
                      owner_unit.code.label("owner_code"))
            .join(Lot, Balance.lot_id == Lot.id).join(Depot, Balance.depot_id == Depot.id)
            .join(depot_unit, Depot.unit_id == depot_unit.id)
            .join(owner_unit, Balance.owner_id == owner_unit.id)
            .where(Lot.item_id.in_(item_ids), Balance.quantity > Balance.reserved,
                   available_lot(), ~expired(on), Depot.is_active))
    if exclude_depot_id is not None:
        stmt = stmt.where(Balance.depot_id != exclude_depot_id)
    return [allocation.Candidate(
        item_id=r.item_id, depot_id=r.depot_id, depot_path=r.depot_path, lot_id=r.lot_id,
        expiry_date=r.expiry_date, owner_id=r.owner_id, owner_path=r.owner_path,
        available=r.free, depot_code=r.depot_code, lot_code=r.lot_code, owner_code=r.owner_code)
        for r in session.execute(stmt)]


def offers(session: Session, item_ids: Sequence[int], *, on: date) -> list[allocation.Offer]:
    """What valid agreements can still deliver (contracted minus called off)."""
    called = (sa.select(CallOff.agreement_id, CallOff.item_id,
                        sa.func.sum(CallOff.quantity).label("called"))
              .where(CallOff.status.in_(ACTIVE_CALLOFFS))
              .group_by(CallOff.agreement_id, CallOff.item_id).subquery())
    stmt = (sa.select(Agreement.id, Agreement.code, Agreement.lead_time_hours,
                      Agreement.valid_from, Agreement.valid_to, Unit.path, AgreementLine.item_id,
                      (AgreementLine.quantity - sa.func.coalesce(called.c.called, 0)).label("left"))
            .join(AgreementLine, AgreementLine.agreement_id == Agreement.id)
            .join(Unit, Agreement.owner_id == Unit.id)
            .outerjoin(called, sa.and_(called.c.agreement_id == Agreement.id,
                                       called.c.item_id == AgreementLine.item_id))
            .where(AgreementLine.item_id.in_(item_ids), agreement_valid(on)))
    return [allocation.Offer(agreement_id=r.id, item_id=r.item_id, quantity=r.left,
                             lead_time_hours=r.lead_time_hours, owner_path=r.path,
                             valid_from=r.valid_from, valid_to=r.valid_to, agreement_code=r.code)
            for r in session.execute(stmt) if r.left > 0]


def claim(session: Session, calloff: CallOff, *, on: date) -> None:
    """Check that the agreement still offers the call-off's quantity and mark it called.

    The agreement line's row is taken first (a no-op update), so two approvals calling off
    the same line are serialised whatever the database, and the second one sees what the
    first called. Raises InsufficientStock (409) when the agreement no longer covers it.
    """
    locked = session.execute(
        sa.update(AgreementLine)
        .where(AgreementLine.agreement_id == calloff.agreement_id,
               AgreementLine.item_id == calloff.item_id)
        .values(quantity=AgreementLine.quantity).execution_options(synchronize_session=False))
    left = 0
    if locked.rowcount == 1:
        left = session.scalar(
            sa.select(AgreementLine.quantity - sa.select(sa.func.coalesce(
                sa.func.sum(CallOff.quantity), 0)).where(
                    CallOff.agreement_id == calloff.agreement_id,
                    CallOff.item_id == calloff.item_id,
                    CallOff.status.in_(ACTIVE_CALLOFFS)).scalar_subquery())
            .join(Agreement, AgreementLine.agreement_id == Agreement.id)
            .where(AgreementLine.agreement_id == calloff.agreement_id,
                   AgreementLine.item_id == calloff.item_id, agreement_valid(on))) or 0
    if left < calloff.quantity:
        raise InsufficientStock(
            N_("Agreement %(agreement)s has only %(left)s of %(item)s left to call off; "
               "call-off %(calloff)s asks for %(quantity)s. Propose the order again."),
            agreement=calloff.agreement.code, left=max(left, 0), item=calloff.item,
            calloff=calloff.code, quantity=calloff.quantity)
    calloff.status = CallOffStatus.CALLED
    session.flush()
