"""Agreements (协议储备): list, create/edit with lines, detail, verification checks and photos."""
from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for

from inventory.api.agreements import terms_from
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Agreement, AgreementCheck, AgreementMode, utcnow
from inventory.schemas.agreements import AgreementArgs, AgreementEditIn, AgreementIn, CheckIn
from inventory.schemas.common import form_data, query_args
from inventory.services import access, agreements, alerts, catalog, stock
from inventory.services.access import Permission
from inventory.services.errors import N_, InvalidInput, NotFound, field_error
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import render_form, try_submit

BLANK_LINES = 4
PHOTO_DIR = "uploads/agreement-checks"


@bp.get("/agreements")
@permission_required(Permission.VIEW)
def agreement_list():
    values = query_args({k: v for k, v in request.args.items() if k != "lang"}, AgreementArgs())
    paging = {"page": values.pop("page"), "per_page": values.pop("per_page")}
    stmt = agreements.agreement_query(current_actor(), search=values.get("q", ""),
                                      mode=values.get("mode"), state=values.get("state"),
                                      today=date.today())
    return render_template("agreements/list.html", page=paginate(db.session, stmt, **paging),
                           args=values, today=date.today(), due=agreements.next_check_due)


def visible_agreement(code: str) -> Agreement:
    """The agreement if its owner unit lies in the user's area (else 404, like a lot)."""
    agreement = agreements.get_agreement(db.session, code)
    if not access.in_scope(current_actor(), agreement.owner):
        raise NotFound(N_("Agreement %(code)s not found."), code=code)
    return agreement


@bp.get("/agreements/<code>")
@permission_required(Permission.VIEW)
def agreement_detail(code: str):
    agreement = visible_agreement(code)
    return render_template("agreements/detail.html", agreement=agreement, today=date.today(),
                           due=agreements.next_check_due(agreement),
                           found=agreements.last_found(agreement))


def _lines_from(form: dict) -> tuple[list[dict], list[int]]:
    """Non-blank line rows of the form, and the form row number of each."""
    lines, rows = [], []
    for number in range(200):
        item, quantity = form.pop(f"line-{number}-item_code", None), \
            form.pop(f"line-{number}-quantity", None)
        if item or quantity:
            lines.append({"item_code": item or "", "quantity": quantity})
            rows.append(number)
    return lines, rows


def _line_errors(errors: dict, rows: list[int]) -> dict:
    """Name line errors after the form's rows: lines.0.quantity → line-3-quantity."""
    named = {}
    for key, messages in errors.items():
        if key == "lines" and isinstance(messages, dict):
            for index, fields in messages.items():
                for field, text in fields.items():
                    named[f"line-{rows[int(index)]}-{field}"] = text
        elif key.startswith("lines.") and key.count(".") == 2:
            _, index, field = key.split(".")
            named[f"line-{rows[int(index)]}-{field}"] = messages
        else:
            named[key] = messages
    return named


def _save_agreement(form: dict, agreement: Agreement | None, lines: list[dict]) -> Agreement:
    if agreement is None:
        data = AgreementIn().load({**form, "lines": lines})
        saved = agreements.create_agreement(db.session, code=data["code"], terms=terms_from(data),
                                            lines=data["lines"], now=utcnow(),
                                            actor=current_actor())
    else:
        data = AgreementEditIn().load({**form, "lines": lines})
        saved = agreements.update_agreement(db.session, agreement, terms=terms_from(data),
                                            lines=data["lines"], now=utcnow(),
                                            actor=current_actor())
    alerts.mark_stale(db.session)
    return saved


def _agreement_values(agreement: Agreement | None) -> dict:
    if agreement is None:
        owner = current_actor().unit
        return {"mode": "stock", "lead_time_hours": 24, "check_interval_days": 90,
                "owner_code": owner.code if owner else None,
                "partner_code": request.args.get("partner")}
    form = {"code": agreement.code, "partner_code": agreement.partner.code,
            "owner_code": agreement.owner.code, "mode": agreement.mode.value,
            "valid_from": agreement.valid_from.isoformat(),
            "valid_to": agreement.valid_to.isoformat(),
            "lead_time_hours": agreement.lead_time_hours,
            "check_interval_days": agreement.check_interval_days, "note": agreement.note,
            "is_active": agreement.is_active}
    for number, line in enumerate(agreement.lines):
        form[f"line-{number}-item_code"] = line.item.code
        form[f"line-{number}-quantity"] = line.quantity
    return form


@bp.route("/admin/agreements/new", methods=["GET", "POST"])
@bp.route("/admin/agreements/<code>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def agreement_form(code: str | None = None):
    agreement = visible_agreement(code) if code else None
    if request.method == "POST":
        form = form_data(request.form, checkboxes=("is_active",) if agreement else ())
        shown = dict(form)
        lines, rows = _lines_from(form)
        saved, errors = try_submit(lambda: _save_agreement(form, agreement, lines))
        if saved is not None:
            db.session.commit()
            flash(translate(N_("Agreement %(code)s saved."), code=saved.code), "success")
            return redirect(url_for("web.agreement_detail", code=saved.code))
        errors, form = _line_errors(errors, rows), shown
    else:
        form, errors = _agreement_values(agreement), {}
    line_count = max(int(k.split("-")[1]) for k in form if k.startswith("line-")) + 1 \
        if any(k.startswith("line-") for k in form) else 0
    return render_form("agreements/form.html", form, errors, agreement=agreement,
                       line_numbers=range(line_count + BLANK_LINES),
                       partners=db.session.scalars(agreements.partner_query()).all(),
                       units=stock.unit_tree(db.session, current_actor()),
                       items=catalog.active_items(db.session),
                       modes=[m.value for m in AgreementMode])


def _found(form, agreement: Agreement) -> dict[int, int]:
    found, errors = {}, {}
    for line in agreement.lines:
        text = (form.get(f"found.{line.id}") or "").strip()
        if text.isdigit() and int(text) <= 100_000_000:
            found[line.id] = int(text)
        elif text:
            errors[f"found.{line.id}"] = [N_("Not a valid whole number.")]
    if errors:
        raise InvalidInput(errors)
    return found


def _photo(upload) -> tuple[bytes, str] | None:
    """The uploaded photo's bytes and extension, checked for size and type."""
    if upload is None or not upload.filename:
        return None
    data = upload.read(agreements.MAX_PHOTO_BYTES + 1)
    if len(data) > agreements.MAX_PHOTO_BYTES:
        raise field_error("photo", N_("The photo is larger than 5 MB."))
    extension = agreements.photo_extension(data)
    if extension is None:
        raise field_error("photo", N_("Upload a JPEG, PNG or WebP photo."))
    return data, extension


def _record_check(form: dict, agreement: Agreement) -> AgreementCheck:
    data = CheckIn().load({k: form.get(k) for k in ("checked_on", "checker_name", "note")})
    found = _found(request.form, agreement)
    photo = _photo(request.files.get("photo"))
    name = f"{uuid.uuid4().hex}.{photo[1]}" if photo else None
    check = agreements.record_check(db.session, agreement, found=found, checker=current_actor(),
                                    photo=name, now=utcnow(), **data)
    if photo:
        folder = Path(current_app.instance_path) / PHOTO_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(photo[0])
    alerts.mark_stale(db.session)
    return check


@bp.route("/agreements/<code>/checks/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def agreement_check_form(code: str):
    agreement = visible_agreement(code)
    if request.method == "POST":
        form = {key: value for key, value in request.form.items() if key != "csrf_token"}
        check, errors = try_submit(lambda: _record_check(form, agreement))
        if check is not None:
            db.session.commit()
            flash(translate(N_("Check of %(code)s recorded."), code=code), "success")
            return redirect(url_for("web.agreement_detail", code=code))
    else:
        form, errors = {"checked_on": date.today().isoformat()}, {}
    return render_form("agreements/check_form.html", form, errors, agreement=agreement)


@bp.get("/agreement-checks/<int:check_id>/photo")
@permission_required(Permission.VIEW)
def agreement_check_photo(check_id: int):
    check = db.session.get(AgreementCheck, check_id) if check_id < 2**63 else None
    if check is None or not check.photo or not access.in_scope(current_actor(),
                                                                check.agreement.owner):
        raise NotFound(N_("Photo not found."))
    path = Path(current_app.instance_path) / PHOTO_DIR / Path(check.photo).name
    if not path.is_file():
        raise NotFound(N_("Photo not found."))
    mimetype = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
        path.suffix.lstrip("."), "application/octet-stream")
    return Response(path.read_bytes(), mimetype=mimetype,
                    headers={"Cache-Control": "private, no-store"})
