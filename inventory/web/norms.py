"""Norms per item (bulk edit and CSV import) and depot minimums: bureau pages."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import utcnow
from inventory.services import access, alerts, catalog, norms, units
from inventory.services.access import Permission
from inventory.services.errors import N_, field_error
from inventory.web import bp
from inventory.web.forms import try_submit

MAX_CSV_BYTES = 1024 * 1024


def _norm_values(form, item) -> tuple[dict, dict]:
    """(values, errors) of one item's row of the norms form."""
    code = item.code
    per_person, error = norms.parse_decimal(form.get(f"per_person.{code}"), required=True)
    cold, cold_error = norms.parse_decimal(form.get(f"per_person_cold.{code}"), required=False)
    errors = {}
    if error:
        errors[f"per_person.{code}"] = [translate(error)]
    if cold_error:
        errors[f"per_person_cold.{code}"] = [translate(cold_error)]
    return {"per_person": per_person, "per_person_cold": cold,
            "critical": f"critical.{code}" in form}, errors


@bp.route("/norms", methods=["GET", "POST"])
@permission_required(Permission.VIEW)
def norms_page():
    items = norms.norm_items(db.session)
    errors: dict = {}
    form = dict(request.form)
    if request.method == "POST":
        access.require(current_actor(), Permission.MANAGE_CATALOGUE)
        values = {}
        for item in items:
            values[item.id], row_errors = _norm_values(request.form, item)
            errors.update(row_errors)
        if not errors:
            for item in items:
                catalog.update_item(db.session, item, actor=current_actor(), now=utcnow(),
                                    **values[item.id])
            alerts.mark_stale(db.session)
            db.session.commit()
            flash(translate(N_("Norms saved.")), "success")
            return redirect(url_for("web.norms_page"))
    return render_template("readiness/norms.html", items=items, form=form,
                           errors=errors), 422 if errors else 200


def _csv_text() -> str:
    """The uploaded CSV as text (or, on confirming, the checked text posted back);
    raises InvalidInput naming `file` when it is too large, binary or empty."""
    upload = request.files.get("file")
    if upload is not None:
        data = upload.read(MAX_CSV_BYTES + 1)
        text = norms.decode_csv(data) if len(data) <= MAX_CSV_BYTES else None
    else:
        text = request.form.get("text", "")
        text = text if len(text.encode("utf-8", "replace")) <= MAX_CSV_BYTES else None
    if text is None or not text.strip():
        raise field_error("file", N_("Choose a CSV file (at most 1 MB)."))
    return text


@bp.route("/norms/import", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def norms_import():
    """Upload → preview (every row checked) → confirm; all rows or none."""
    if request.method == "GET":
        return render_template("readiness/norms_import.html", rows=None, text="", errors={})
    text, errors = try_submit(_csv_text)
    if errors:
        return render_template("readiness/norms_import.html", rows=None, text="",
                               errors=errors), 422
    rows = norms.parse_norms(db.session, text)
    bad = any(row.errors for row in rows)
    if bad or request.form.get("confirm") != "1":
        return render_template("readiness/norms_import.html", rows=rows, text=text,
                               errors={}), 422 if bad else 200
    count = norms.apply_norms(db.session, rows, now=utcnow(), actor=current_actor())
    alerts.mark_stale(db.session)
    db.session.commit()
    flash(translate(N_("%(count)s norms imported."), count=count), "success")
    return redirect(url_for("web.norms_page"))


def _minimum_values(form, items) -> tuple[dict, dict]:
    values, errors = {}, {}
    for item in items:
        text = (form.get(f"min.{item.code}") or "").strip()
        if not text:
            values[item.id] = None
        elif text.isdigit() and int(text) <= 100_000_000:
            values[item.id] = int(text)
        else:
            errors[f"min.{item.code}"] = [translate(N_("Not a valid whole number."))]
    return values, errors


@bp.route("/admin/depots/<code>/minimums", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def depot_minimums(code: str):
    depot = access.require_depot(current_actor(), units.get_depot(db.session, code))
    items = catalog.active_items(db.session)
    errors: dict = {}
    if request.method == "POST":
        values, errors = _minimum_values(request.form, items)
        if not errors:
            count = norms.set_minimums(db.session, depot, values, actor=current_actor(),
                                       now=utcnow())
            alerts.mark_stale(db.session)
            db.session.commit()
            flash(translate(N_("%(count)s minimums set for %(depot)s."), count=count,
                            depot=depot.name), "success")
            return redirect(url_for("web.depot_minimums", code=code))
        form = dict(request.form)
    else:
        current = norms.minimums(db.session, depot)
        form = {f"min.{item.code}": current.get(item.id) for item in items}
    return render_template("readiness/minimums.html", depot=depot, items=items, form=form,
                           errors=errors), 422 if errors else 200
