"""Agreement partners (协议企业): directory with search, create/edit, sites."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Partner, utcnow
from inventory.schemas.agreements import PartnerEditIn, PartnerIn, PartnerSiteIn
from inventory.schemas.common import PageArgs, form_data
from inventory.services import agreements
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import render_form, try_submit


@bp.get("/partners")
@permission_required(Permission.VIEW)
def partner_list():
    paging = PageArgs().load({k: v for k, v in request.args.items() if k in ("page", "per_page")})
    search = request.args.get("q", "").strip()
    page = paginate(db.session, agreements.partner_query(search=search), **paging)
    return render_template("agreements/partners.html", page=page, q=search)


@bp.get("/partners/<code>")
@permission_required(Permission.VIEW)
def partner_detail(code: str):
    partner = agreements.get_partner(db.session, code)
    stmt = agreements.agreement_query(current_actor(), partner=partner)
    return render_template("agreements/partner.html", partner=partner,
                           agreements=db.session.scalars(stmt).all(), form={}, errors={})


def _save_partner(form: dict, partner: Partner | None) -> Partner:
    if partner is None:
        return agreements.create_partner(db.session, now=utcnow(), actor=current_actor(),
                                         **PartnerIn().load(form))
    return agreements.update_partner(db.session, partner, now=utcnow(), actor=current_actor(),
                                     **PartnerEditIn().load(form))


@bp.route("/admin/partners/new", methods=["GET", "POST"])
@bp.route("/admin/partners/<code>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def partner_form(code: str | None = None):
    partner = agreements.get_partner(db.session, code) if code else None
    if request.method == "POST":
        form = form_data(request.form, checkboxes=("is_active",) if partner else ())
        saved, errors = try_submit(lambda: _save_partner(form, partner))
        if saved is not None:
            db.session.commit()
            flash(translate(N_("Partner %(code)s saved."), code=saved.code), "success")
            return redirect(url_for("web.partner_detail", code=saved.code))
    else:
        errors = {}
        form = {} if partner is None else {
            key: getattr(partner, key) for key in ("code", "name", "credit_code", "contact",
                                                   "phone", "address", "is_active")}
    return render_form("agreements/partner_form.html", form, errors, partner=partner)


@bp.post("/admin/partners/<code>/sites")
@permission_required(Permission.MANAGE_CATALOGUE)
def partner_site_add(code: str):
    partner = agreements.get_partner(db.session, code)
    form = form_data(request.form)
    site, errors = try_submit(lambda: agreements.add_site(db.session, partner,
                                                          **PartnerSiteIn().load(form)))
    if site is not None:
        db.session.commit()
        flash(translate(N_("Site %(name)s added."), name=site.name), "success")
        return redirect(url_for("web.partner_detail", code=code))
    stmt = agreements.agreement_query(current_actor(), partner=partner)
    return render_template("agreements/partner.html", partner=partner, form=form, errors=errors,
                           agreements=db.session.scalars(stmt).all()), 422
