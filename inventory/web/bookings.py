"""Booking from pages: the lot page's actions, reversals, the depot page, receiving notes,
count sheets and the write-off register (核销)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from inventory.api.movements import commit_booking, request_hash
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate, translate_tree
from inventory.models import Lot, Movement, utcnow
from inventory.schemas.common import form_data, query_args
from inventory.schemas.movements import MovementIn
from inventory.schemas.reports import RegisterPageArgs
from inventory.services import (access, bookings, catalog, exports, ledger, line_checks,
                                stock, units)
from inventory.services.access import Permission
from inventory.services.errors import N_, DomainError, InvalidInput
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.booking_text import booked_text, checked_count, refusal
from inventory.web.forms import new_request_id, page_args
from inventory.web.stock import lot_context

KIND_CHOICES = ("receive", "issue", "transfer", "count", "loss", "scrap")


def flash_booking(booking: bookings.Booking) -> None:
    if booking.replayed:
        flash(translate(N_("This booking was already saved; nothing was booked twice.")), "info")
    else:
        flash(booked_text(booking.movements), "success")
    for warning in booking.warnings:
        flash(translate(warning["message"], **warning.get("params", {})), "info")


@bp.post("/lots/<lot_code>/book")
@permission_required(Permission.BOOK_STOCK)
def lot_book(lot_code: str):
    form = form_data(request.form, checkboxes=("confirm_expired",), omit_blank=True)
    form["lot_code"] = lot_code
    confirmed = form.pop("confirm_count", None)  # the count figure the keeper confirmed
    try:
        command = MovementIn().load(form)
        booking = commit_booking(lambda: checked_count(bookings.book(
            db.session, current_actor(), command, now=utcnow(), request_hash=request_hash(form)),
            confirmed), command["request_id"], request_hash(form))
    except (ValidationError, InvalidInput) as error:
        db.session.rollback()
        errors = translate_tree(error.messages if isinstance(error, ValidationError)
                                else error.errors, getattr(error, "params", None))
        return render_template("stock/lot.html", **lot_context(lot_code), form=form, ask={},
                               errors=errors, request_id=new_request_id()), 422
    except DomainError as error:
        db.session.rollback()
        errors, ask, status = refusal(error, form)
        return render_template("stock/lot.html", **lot_context(lot_code), form=form, ask=ask,
                               errors=errors, request_id=new_request_id()), status
    flash_booking(booking)
    return redirect(url_for("web.lot_detail", lot_code=lot_code))


@bp.post("/movements/<int:movement_id>/reverse")
@permission_required(Permission.BOOK_STOCK)
def movement_reverse(movement_id: int):
    request_id = request.form.get("request_id") or new_request_id()
    body_hash = request_hash({"reverse": movement_id})
    try:
        booking = commit_booking(lambda: bookings.reverse(
            db.session, current_actor(), movement_id=movement_id, request_id=request_id,
            reason=request.form.get("reason", "")[:500], request_hash=body_hash, now=utcnow()),
            request_id, body_hash)
    except DomainError as error:
        if error.status != 409:
            raise
        # Refused by a rule (reversed meanwhile from another tab, written off): say why on
        # the page it came from, not on an error page.
        flash(translate(error.message, **error.params), "error")
        return _back_from_reversal(db.session.get(Movement, movement_id).lot.lot_code)
    flash(translate(N_("Movement %(id)s reversed."), id=movement_id), "success")
    return _back_from_reversal(booking.movements[0].lot.lot_code)


def _back_from_reversal(lot_code: str):
    back = request.form.get("next", "")  # the ledger page it was reversed from
    if back.startswith(url_for("web.ledger_page") + "?"):
        return redirect(back)
    return redirect(url_for("web.lot_detail", lot_code=lot_code))


@bp.get("/depots/<depot_code>")
@permission_required(Permission.VIEW)
def depot_detail(depot_code: str):
    user = current_actor()
    depot = access.require_depot(user, units.get_depot(db.session, depot_code))
    page = paginate(db.session, stock.stock_query(user, stock.StockFilter(depot=depot),
                                                  today=date.today()),
                    **page_args(per_page=100))
    recent = db.session.scalars(
        sa.select(Movement).where(sa.or_(Movement.from_depot_id == depot.id,
                                         Movement.to_depot_id == depot.id))
        .order_by(Movement.created_at.desc(), Movement.id.desc()).limit(20)).all()
    return render_template("stock/depot.html", depot=depot, page=page, recent=recent,
                           today=date.today(), received=_received_lots())


RECEIVED_SHOWN = 100  # lots of one receiving note offered for labels


def _lot_codes(booked: list[Movement]) -> list[str]:
    """The lots a receiving note booked, in its order, to offer their labels."""
    ids = list(dict.fromkeys(m.lot_id for m in booked))[:RECEIVED_SHOWN]
    codes = dict(db.session.execute(sa.select(Lot.id, Lot.lot_code).where(Lot.id.in_(ids))).all())
    return [codes[i] for i in ids if i in codes]


def _received_lots() -> list[str]:
    """`?received=` after a receiving note: the lots just received (only lots that exist),
    for a link to print their labels (the label sheet checks what the user may see)."""
    asked = [code for code in request.args.getlist("received")[:RECEIVED_SHOWN] if code]
    if not asked:
        return []
    known = set(db.session.scalars(sa.select(Lot.lot_code).where(Lot.lot_code.in_(asked))))
    return [code for code in dict.fromkeys(asked) if code in known]


NOTE_COLUMNS = ("item_code", "batch_no", "expiry_date", "quantity", "owner_code", "source")
# What a keeper types into a row. `source` is a select that always has a value, so a row
# with only its source is an untouched row, not a line.
NOTE_TYPED = ("item_code", "batch_no", "expiry_date", "quantity", "owner_code")


def _note_lines(form, depot_code: str) -> tuple[list[dict], list[int]]:
    """Receiving-note rows from the form (item_code[], batch_no[], ...), blank rows skipped,
    and the row number (from 1, as on the page) of each line."""
    values = {name: request.form.getlist(name) for name in NOTE_COLUMNS}
    lines, rows = [], []
    for index in range(max(len(column) for column in values.values())):
        row = {name: (values[name][index].strip() if index < len(values[name]) else "")
               for name in NOTE_COLUMNS}
        if not any(row[name] for name in NOTE_TYPED):
            continue
        lines.append({"kind": "receive", "depot_code": depot_code,
                      "request_id": form["request_id"], "reason": form.get("reason") or "",
                      **({"confirm_expired": True} if form.get("confirm_expired") else {}),
                      **{k: v for k, v in row.items() if v}})
        rows.append(index + 1)
    return lines, rows


@bp.route("/depots/<depot_code>/receive", methods=["GET", "POST"])
@permission_required(Permission.BOOK_STOCK)
def receiving_note(depot_code: str):
    depot = access.require_depot(current_actor(), units.get_depot(db.session, depot_code))
    errors: dict = {}
    form = {"request_id": request.form.get("request_id") or new_request_id(),
            "reason": request.form.get("reason", ""),
            "confirm_expired": bool(request.form.get("confirm_expired"))}
    if request.method == "POST":
        result, errors = _book_lines(*_note_lines(form, depot.code), form["request_id"])
        if result is not None:
            flash_booking(result)
            return redirect(url_for("web.depot_detail", depot_code=depot.code,
                                    received=_lot_codes(result.movements)))
    return render_template("stock/receiving_note.html", depot=depot, errors=errors, form=form,
                           items=catalog.active_items(db.session), request_id=new_request_id(),
                           rows=request.form if errors else None), 422 if errors else 200


def _book_lines(lines: list[dict], rows: list[int], request_id: str):
    """Check every line, then book all in one transaction; errors keyed by the row number
    the page shows (`rows[i]` for `lines[i]`), every line's at once."""
    if not lines:
        return None, {"_schema": [translate(N_("Fill in at least one line."))]}
    commands, booked_rows, errors = [], [], {}
    for row, line in zip(rows, lines):
        command, line_errors = _load_line(line)
        if line_errors:
            errors[str(row)] = line_errors
        else:
            commands.append(command)
            booked_rows.append(row)
    body_hash = request_hash(lines)
    book = lambda: bookings.book_many(  # noqa: E731
        db.session, current_actor(), commands, request_id=request_id, now=utcnow(),
        request_hash=body_hash)
    try:
        if errors:  # still check the valid lines, so that one answer names every problem
            if commands:
                book()
            db.session.rollback()
            return None, errors
        return commit_booking(book, request_id, body_hash), {}
    except line_checks.LineErrors as error:
        db.session.rollback()
        return None, _with_refused_lines(errors, error, booked_rows)
    except DomainError as error:
        db.session.rollback()
        return None, {"_schema": [translate(error.message, **error.params)]}


def _with_refused_lines(errors: dict, refused: line_checks.LineErrors, rows: list[int]) -> dict:
    """The form's line errors plus the lines the booking refused, in row order; a passed
    expiry date asks for the confirmation box (`confirm_expired`)."""
    for number, found in refused.lines.items():
        errors[str(rows[number - 1])] = _line_detail(found)
    errors = dict(sorted(errors.items(), key=lambda pair: int(pair[0])))
    if any(isinstance(e, line_checks.ExpiredReceipt) for f in refused.lines.values() for e in f):
        errors["confirm_expired"] = [translate(N_(
            "Goods past their expiry date are booked only if you tick “Receive expired "
            "batches”."))]
    return errors


def _load_line(line: dict) -> tuple[dict | None, dict]:
    """A line validated by MovementIn: (command, {}) or (None, {field: [messages]}). A
    receipt without an item names the item, beside any other field missing."""
    try:
        command, errors = MovementIn().load(line), {}
    except ValidationError as error:
        command, errors = None, translate_tree(error.messages)
    if line["kind"] == "receive" and not (line.get("item_code") or line.get("lot_code")):
        errors = {"item_code": [translate(N_("This field is required."))],
                  **{name: texts for name, texts in errors.items() if name != "item_code"}}
    return (None, errors) if errors else (command, {})


def _line_detail(found: list[DomainError]) -> dict:
    """A refused line's errors as {field: [messages]} ("_" for the line as a whole)."""
    detail: dict[str, list[str]] = {}
    for error in found:
        messages = (translate_tree(error.errors, error.params)
                    if isinstance(error, InvalidInput)
                    else {"_": [translate(error.message, **error.params)]})
        for name, texts in messages.items():
            detail.setdefault(name, []).extend(texts)
    return detail


@bp.route("/depots/<depot_code>/count", methods=["GET", "POST"])
@permission_required(Permission.BOOK_STOCK)
def count_sheet(depot_code: str):
    user = current_actor()
    depot = access.require_depot(user, units.get_depot(db.session, depot_code))
    balances = list(db.session.scalars(stock.stock_query(
        user, stock.StockFilter(depot=depot, include_empty=True), today=date.today())))
    errors: dict = {}
    if request.method == "POST":
        request_id = request.form.get("request_id") or new_request_id()
        counted = [(row, b, request.form.get(f"counted-{b.id}", "").strip())
                   for row, b in enumerate(balances, start=1)]
        lines = [{"kind": "count", "depot_code": depot.code, "lot_code": b.lot.lot_code,
                  "owner_code": b.owner.code, "quantity": figure, "request_id": request_id,
                  "reason": request.form.get("reason", "")} for _, b, figure in counted if figure]
        result, errors = _book_lines(lines, [row for row, _, figure in counted if figure],
                                     request_id)
        if result is not None:
            flash_booking(result)
            return redirect(url_for("web.depot_detail", depot_code=depot.code))
    counted_at = ledger.last_counted(db.session, depot, [b.lot_id for b in balances])
    return render_template("stock/count_sheet.html", depot=depot, balances=balances,
                           errors=errors, request_id=new_request_id(), counted_at=counted_at,
                           values=request.form), 422 if errors else 200


@bp.route("/write-offs", methods=["GET", "POST"])
@permission_required(Permission.VIEW)
def write_offs():
    """Losses and scraps awaiting approval (核销), and the register of approved write-offs."""
    user = current_actor()
    if request.method == "POST":
        access.require(user, Permission.APPROVE_STOCK)
        chosen = {int(v) for v in request.form.getlist("movement") if v.isdigit()}
        pending = [m for m in bookings.pending_write_offs(db.session, user=user) if m.id in chosen]
        if not pending:  # nothing ticked (or all of it settled meanwhile): nothing to book
            return _write_off_page(user, [translate(N_("Select at least one loss or scrap."))])
        request_id = request.form.get("request_id") or new_request_id()
        body_hash = request_hash(sorted(chosen))
        commit_booking(lambda: bookings.approve_write_offs(
            db.session, user, pending, request_id=request_id, now=utcnow(), request_hash=body_hash,
            reason=request.form.get("reason", "")[:500]), request_id, body_hash)
        flash(translate(N_("%(n)s written off."), n=len(pending)), "success")
        return redirect(url_for("web.write_offs"))
    return _write_off_page(user)


def _write_off_page(user, errors: list[str] | None = None):
    """The write-off page; with `errors` (a refused approval) answered 422."""
    paging = query_args(request.args, RegisterPageArgs())
    register = paginate(db.session, exports.loss_register(access.scope_path(user)).order_by(
        Movement.created_at.desc(), Movement.id.desc()), page=paging["page"], per_page=50,
        scalars=False)
    return render_template("stock/write_offs.html", register=register, errors=errors or [],
                           pending=bookings.pending_write_offs(db.session, user=user),
                           reason=request.form.get("reason", ""),
                           request_id=new_request_id()), 422 if errors else 200
