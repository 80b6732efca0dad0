"""Demo agreement reserves and depot minimums for Kangbashi district.

One stock-mode base (协议储备基地) against a target of two, so the "bases below target"
alert shows; its contract ends within 60 days and its verification check is overdue.
A supply agreement with a 12-hour lead time counts only beyond the 8-hour horizon;
a production-capacity agreement adds quilts per day.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import AgreementMode, Depot, Item, Unit, User
from inventory.services import agreements, norms

PARTNERS = [
    ("P-KBS-01", "鄂尔多斯市安泰应急物资储运有限公司", "91150603MA0N1RXK1W", "李经理",
     "0477-8123456", "康巴什区物流园区8号库"),
    ("P-KBS-02", "康巴什区惠民连锁超市有限公司", "", "赵主任", "0477-8567890", "康巴什区青春山路18号"),
    ("P-KBS-03", "内蒙古北疆被服厂", "", "孙厂长", "0477-3456789", "东胜区装备制造基地"),
]
# code, partner, mode, lead hours, days valid before/after today, check interval, lines
AGREEMENTS = [
    ("XY-2025-001", "P-KBS-01", AgreementMode.STOCK, 6, 320, 45, 90,
     {"1010101": 1200, "1020102": 3000}),
    ("XY-2025-002", "P-KBS-02", AgreementMode.SUPPLY, 12, 100, 265, 180,
     {"1050101": 60000, "1040101": 20000}),
    ("XY-2025-003", "P-KBS-03", AgreementMode.CAPACITY, 24, 60, 670, 180, {"1020101": 800}),
]
# Street depot minimums (item code: quantity); water sits below its minimum at some streets.
MINIMUMS = {"1050101": 3000, "1010101": 80, "1020101": 300}


def load(session: Session, district: Unit, depots: dict[str, Depot], *, now: datetime,
         checker: User | None) -> None:
    """Partners, agreements (one checked), and minimums at the street depots."""
    items = {item.code: item for item in session.scalars(sa.select(Item))}
    partners = {code: agreements.create_partner(
        session, code=code, name=name, credit_code=credit, contact=contact, phone=phone,
        address=address, now=now) for code, name, credit, contact, phone, address in PARTNERS}
    agreements.add_site(session, partners["P-KBS-01"], name="康巴什物流园区8号库",
                        address="康巴什区物流园区")
    today = now.date()
    for code, partner, mode, lead, before, after, interval, lines in AGREEMENTS:
        terms = agreements.AgreementTerms(
            partner=partners[partner], owner=district, mode=mode,
            valid_from=today - timedelta(days=before), valid_to=today + timedelta(days=after),
            lead_time_hours=lead, check_interval_days=interval)
        agreement = agreements.create_agreement(
            session, code=code, terms=terms, now=now,
            lines=[{"item_code": item, "quantity": q}
                   for item, q in lines.items() if item in items])
        if mode is AgreementMode.STOCK:
            found = {line.id: int(line.quantity * 0.9) for line in agreement.lines}
            agreements.record_check(session, agreement, checked_on=today - timedelta(days=100),
                                    found=found, checker=checker, checker_name="区应急管理局 储备科",
                                    note="抽查库存，帐篷少于合同数量，已要求补足。",
                                    now=now - timedelta(days=100))
    for code, depot in depots.items():
        if code.startswith("KBS-ST") and "-C" not in code:
            norms.set_minimums(session, depot, {items[c].id: q for c, q in MINIMUMS.items()
                                                if c in items})
