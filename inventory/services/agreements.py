"""Agreement reserves (协议储备): partners, their sites, agreements with lines, and checks."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from inventory.models import (Agreement, AgreementCheck, AgreementCheckLine, AgreementLine,
                              AgreementMode, Item, Partner, PartnerSite, Unit, User)
from inventory.services import access
from inventory.services.alert_rules import check_due
from inventory.services.errors import N_, InvalidInput, NotFound, field_error
from inventory.services.queries import agreement_valid, in_subtree, text_search
from inventory.services.users import audit, describe_changes

# 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet, the last a check character.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PHOTO_TYPES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PARTNER_FIELDS = ("name", "credit_code", "contact", "phone", "address", "is_active")


def credit_check_char(first17: str) -> str:
    """The check character of a unified social credit code."""
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True for an 18-character code with a correct check character."""
    return (len(code) == 18 and all(ch in CREDIT_ALPHABET for ch in code)
            and credit_check_char(code[:17]) == code[17])


def photo_extension(data: bytes) -> str | None:
    """'jpg' or 'png' when the bytes are such an image (by signature), else None."""
    for signature, extension in PHOTO_TYPES.items():
        if data.startswith(signature):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


# --- partners ---------------------------------------------------------------------------------

def get_partner(session: Session, code: str) -> Partner:
    """The partner with this code; raises NotFound."""
    partner = session.scalar(sa.select(Partner).where(Partner.code == code))
    if partner is None:
        raise NotFound(N_("Partner %(code)s not found."), code=code)
    return partner


def create_partner(session: Session, *, code: str, name: str, now: datetime,
                   actor: User | None = None, **fields: Any) -> Partner:
    """Add a partner; raises InvalidInput for a taken code."""
    if session.scalar(sa.select(Partner.id).where(Partner.code == code)) is not None:
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    partner = Partner(code=code, name=name, created_at=now,
                      **{k: v or "" for k, v in fields.items() if k in PARTNER_FIELDS[:-1]})
    session.add(partner)
    session.flush()
    audit(session, action="partner.create", actor=actor, subject=f"partner:{code}", now=now)
    return partner


def update_partner(session: Session, partner: Partner, *, now: datetime,
                   actor: User | None = None, **fields: Any) -> Partner:
    """Edit a partner's details (the code is stable)."""
    wanted = {k: ("" if v is None and k != "is_active" else v)
              for k, v in fields.items() if k in PARTNER_FIELDS}
    detail = describe_changes(partner, wanted)
    for key, value in wanted.items():
        setattr(partner, key, value)
    session.flush()
    if detail:
        audit(session, action="partner.update", actor=actor, subject=f"partner:{partner.code}",
              now=now, detail=detail)
    return partner


def add_site(session: Session, partner: Partner, *, name: str, address: str = "") -> PartnerSite:
    """Add a warehouse or plant to a partner."""
    site = PartnerSite(partner=partner, name=name, address=address or "")
    session.add(site)
    session.flush()
    return site


def partner_query(*, search: str = "") -> sa.Select:
    """Partners by code, searched by code, name, credit code or contact."""
    stmt = sa.select(Partner).order_by(Partner.code)
    if search:
        stmt = stmt.where(text_search(search, Partner.code, Partner.name, Partner.credit_code,
                                      Partner.contact))
    return stmt


# --- agreements -------------------------------------------------------------------------------

def get_agreement(session: Session, code: str) -> Agreement:
    """The agreement with this code (lines and checks loaded); raises NotFound."""
    agreement = session.scalar(sa.select(Agreement).where(Agreement.code == code).options(
        selectinload(Agreement.lines).joinedload(AgreementLine.item),
        selectinload(Agreement.checks).selectinload(AgreementCheck.lines)))
    if agreement is None:
        raise NotFound(N_("Agreement %(code)s not found."), code=code)
    return agreement


def _lines(session: Session, lines: Sequence[dict]) -> list[tuple[Item, int]]:
    """Resolve {item_code, quantity} rows; errors are named lines.N.item_code."""
    if not lines:
        raise field_error("lines", N_("Add at least one item."))
    errors: dict[str, list[str]] = {}
    resolved, seen = [], set()
    for number, row in enumerate(lines):
        item = session.scalar(sa.select(Item).where(Item.code == row["item_code"]))
        if item is None:
            errors[f"lines.{number}.item_code"] = [N_("Unknown item.")]
        elif item.id in seen:
            errors[f"lines.{number}.item_code"] = [N_("This item is already listed.")]
        else:
            seen.add(item.id)
            resolved.append((item, row["quantity"]))
    if errors:
        raise InvalidInput(errors)
    return resolved


@dataclass(frozen=True)
class AgreementTerms:
    """What an agreement says (validated input of create/update)."""

    partner: Partner
    owner: Unit
    mode: AgreementMode
    valid_from: date
    valid_to: date
    lead_time_hours: int
    check_interval_days: int = 90
    note: str = ""
    is_active: bool = True


def _check_period(terms: AgreementTerms) -> None:
    if terms.valid_to < terms.valid_from:
        raise field_error("valid_to", N_("The end date must not lie before the start date."))


def create_agreement(session: Session, *, code: str, terms: AgreementTerms, lines: Sequence[dict],
                     now: datetime, actor: User | None = None) -> Agreement:
    """Add an agreement with its lines; raises InvalidInput for a taken code or bad lines."""
    if session.scalar(sa.select(Agreement.id).where(Agreement.code == code)) is not None:
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    _check_period(terms)
    agreement = Agreement(code=code, created_at=now, **terms.__dict__)
    agreement.lines = [AgreementLine(item=item, quantity=q) for item, q in _lines(session, lines)]
    session.add(agreement)
    session.flush()
    audit(session, action="agreement.create", actor=actor, subject=f"agreement:{code}", now=now,
          detail=f"partner={terms.partner.code} owner={terms.owner.code} mode={terms.mode}")
    return agreement


def update_agreement(session: Session, agreement: Agreement, *, terms: AgreementTerms,
                     lines: Sequence[dict], now: datetime, actor: User | None = None) -> Agreement:
    """Change terms and lines; lines of items kept keep their check history."""
    _check_period(terms)
    wanted = _lines(session, lines)
    detail = describe_changes(agreement, terms.__dict__)
    for key, value in terms.__dict__.items():
        setattr(agreement, key, value)
    existing = {line.item_id: line for line in agreement.lines}
    kept = []
    for item, quantity in wanted:
        line = existing.pop(item.id, None) or AgreementLine(item=item, quantity=quantity)
        line.quantity = quantity
        kept.append(line)
    checked = set(session.scalars(sa.select(AgreementCheckLine.line_id).where(
        AgreementCheckLine.line_id.in_([line.id for line in existing.values()]))))
    if checked:
        raise field_error("lines", N_("Items with verification checks cannot be removed."))
    agreement.lines = kept
    session.flush()
    audit(session, action="agreement.update", actor=actor,
          subject=f"agreement:{agreement.code}", now=now, detail=detail or "lines")
    return agreement


def set_line(session: Session, agreement: Agreement, *, item: Item, quantity: int,
             now: datetime, actor: User | None = None) -> str:
    """Add an item to an agreement or change its quantity; returns "created" or "updated"."""
    line = next((line for line in agreement.lines if line.item_id == item.id), None)
    outcome = "updated" if line is not None else "created"
    if line is None:
        agreement.lines.append(AgreementLine(item=item, quantity=quantity))
    elif line.quantity != quantity:
        line.quantity = quantity
    session.flush()
    audit(session, action="agreement.line", actor=actor, subject=f"agreement:{agreement.code}",
          now=now, detail=f"{item.code}={quantity}")
    return outcome


def agreement_query(user: User, *, search: str = "", mode: str | None = None,
                    partner: Partner | None = None, state: str | None = None,
                    today: date | None = None) -> sa.Select:
    """Agreements owned by units in the user's area, filtered."""
    stmt = (sa.select(Agreement).join(Agreement.owner).join(Agreement.partner)
            .where(access.unit_filter(user)).order_by(Agreement.valid_to, Agreement.code))
    if search:
        stmt = stmt.where(text_search(search, Agreement.code, Partner.name, Partner.code))
    if mode:
        stmt = stmt.where(Agreement.mode == AgreementMode(mode))
    if partner is not None:
        stmt = stmt.where(Agreement.partner_id == partner.id)
    if state and today:
        valid = agreement_valid(today)
        stmt = stmt.where(valid if state == "valid" else sa.not_(valid))
    return stmt


def owned_by_subtree(unit: Unit) -> sa.ColumnElement[bool]:
    return Agreement.owner_id.in_(sa.select(Unit.id).where(in_subtree(unit.path)))


def record_check(session: Session, agreement: Agreement, *, checked_on: date,
                 found: dict[int, int], checker: User | None, checker_name: str = "",
                 note: str = "", photo: str | None = None, now: datetime) -> AgreementCheck:
    """Record a verification check with the quantity found per agreement line id.

    Every line must be given; raises InvalidInput naming `found.<line id>` otherwise.
    """
    missing = {f"found.{line.id}": [N_("This field is required.")]
               for line in agreement.lines if found.get(line.id) is None}
    if missing:
        raise InvalidInput(missing)
    if checked_on > now.date():
        raise field_error("checked_on", N_("A check cannot lie in the future."))
    check = AgreementCheck(agreement=agreement, checked_on=checked_on, checker=checker,
                           checker_name=checker_name or (checker.display_name or checker.username
                                                         if checker else ""),
                           note=note or "", photo=photo, created_at=now,
                           lines=[AgreementCheckLine(line=line, quantity_found=found[line.id])
                                  for line in agreement.lines])
    session.add(check)
    session.flush()
    audit(session, action="agreement.check", actor=checker, subject=f"agreement:{agreement.code}",
          now=now, detail=f"checked_on={checked_on.isoformat()}")
    return check


def next_check_due(agreement: Agreement) -> date:
    """When the next verification check of this agreement is due."""
    last = max((c.checked_on for c in agreement.checks), default=None)
    return check_due(last, agreement.valid_from, agreement.check_interval_days)


def last_found(agreement: Agreement) -> dict[int, int]:
    """{line id: quantity found at the latest check}."""
    if not agreement.checks:
        return {}
    latest = max(agreement.checks, key=lambda c: (c.checked_on, c.id))
    return {line.line_id: line.quantity_found for line in latest.lines}
