"""Agreement partners and agreements: list and create."""
from __future__ import annotations

from datetime import date

from inventory.api import bp
from inventory.api.common import args, dump_page, json_body, paging
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.models import AgreementMode, utcnow
from inventory.schemas.agreements import (AgreementArgs, AgreementIn, AgreementOut, PartnerArgs,
                                          PartnerIn, PartnerOut)
from inventory.schemas.common import page_schema
from inventory.services import access, agreements, alerts, units
from inventory.services.access import Permission
from inventory.services.pagination import paginate


@bp.get("/partners")
@documented("List agreement partners", "agreements", query=PartnerArgs,
            response=page_schema(PartnerOut))
@permission_required(Permission.VIEW)
def partners_list():
    values = args(PartnerArgs())
    page_args = paging(values)
    stmt = agreements.partner_query(search=values.get("q", ""))
    return dump_page(paginate(db.session, stmt, **page_args), PartnerOut())


@bp.post("/partners")
@documented("Create an agreement partner", "agreements", body=PartnerIn, response=PartnerOut,
            status=201)
@permission_required(Permission.MANAGE_CATALOGUE)
def partners_create():
    partner = agreements.create_partner(db.session, now=utcnow(), actor=current_actor(),
                                        **PartnerIn().load(json_body()))
    db.session.commit()
    return PartnerOut().dump(partner), 201


@bp.get("/agreements")
@documented("List agreements owned in your area", "agreements", query=AgreementArgs,
            response=page_schema(AgreementOut))
@permission_required(Permission.VIEW)
def agreements_list():
    values = args(AgreementArgs())
    page_args = paging(values)
    partner = (agreements.get_partner(db.session, values["partner"])
               if values.get("partner") else None)
    stmt = agreements.agreement_query(current_actor(), search=values.get("q", ""),
                                      mode=values.get("mode"), partner=partner,
                                      state=values.get("state"), today=date.today())
    return dump_page(paginate(db.session, stmt, **page_args), AgreementOut())


def terms_from(data: dict) -> agreements.AgreementTerms:
    """Resolve an AgreementIn's codes (the owner must lie in the actor's area)."""
    owner = access.require_unit(current_actor(), units.get_unit(db.session, data["owner_code"]))
    return agreements.AgreementTerms(
        partner=agreements.get_partner(db.session, data["partner_code"]), owner=owner,
        mode=AgreementMode(data["mode"]), valid_from=data["valid_from"],
        valid_to=data["valid_to"], lead_time_hours=data["lead_time_hours"],
        check_interval_days=data["check_interval_days"], note=data.get("note") or "",
        is_active=data.get("is_active", True))


@bp.post("/agreements")
@documented("Create an agreement with its lines", "agreements", body=AgreementIn,
            response=AgreementOut, status=201)
@permission_required(Permission.MANAGE_CATALOGUE)
def agreements_create():
    data = AgreementIn().load(json_body())
    agreement = agreements.create_agreement(db.session, code=data["code"], terms=terms_from(data),
                                            lines=data["lines"], now=utcnow(),
                                            actor=current_actor())
    alerts.mark_stale(db.session)
    db.session.commit()
    return AgreementOut().dump(agreement), 201
