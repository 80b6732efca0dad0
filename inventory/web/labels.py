"""QR labels (SVG, PNG, printable sheets) and the /q/ links that labels encode."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Response, current_app, redirect, render_template, request, url_for
from marshmallow import ValidationError

from inventory import qr
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import locale_code, translate, translate_tree
from inventory.label_images import Label, fits, label_png, label_svg
from inventory.models import Balance, Lot, Unit
from inventory.schemas.labels import BINARY, LAYOUTS, LIST_ARGS, LabelSheetArgs, LotLabelArgs
from inventory.services import access, stock, units
from inventory.services.access import Permission
from inventory.services.errors import N_, NotFound
from inventory.services.movements import get_lot
from inventory.web import bp

MAX_LABELS_PER_SHEET_REQUEST = 400
PICKER_LIMIT = 300  # stock rows of a depot listed to choose lots from


def public_url() -> str:
    """Base URL printed in labels: INVENTORY_PUBLIC_URL, else the address the user came in on."""
    return current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")


def _visible_lot(lot_code: str) -> Lot:
    lot = get_lot(db.session, lot_code)
    user = current_actor()
    if lot is None or (user.unit_id is not None and not db.session.scalar(
            stock.stock_query(user, stock.StockFilter(lot=lot, include_empty=True),
                              today=date.today()).limit(1))):
        raise NotFound(N_("Lot %(code)s not found."), code=lot_code)
    return lot


def _owners_line(lot: Lot) -> str | None:
    """Who holds the lot: one owner's name; several owners' names when they fit on the
    label, else the largest holder and how many units hold it ("甲单位等2个单位")."""
    names = db.session.scalars(
        sa.select(Unit.name).join(Balance, Balance.owner_id == Unit.id)
        .where(Balance.lot_id == lot.id, Balance.quantity > 0)
        .group_by(Unit.id, Unit.name)
        .order_by(sa.func.sum(Balance.quantity).desc(), Unit.name)).all()
    if len(names) <= 1:
        return names[0] if names else None
    together = translate(N_("%(first)s, %(rest)s"), first=names[0], rest=names[1]) \
        if len(names) == 2 else None
    if together and fits(together):
        return together
    return translate(N_("%(first)s and others (%(count)s units)"), first=names[0],
                     count=len(names))


def lot_label(lot: Lot, owner_code: str | None = None) -> Label:
    owner = units.get_unit(db.session, owner_code).name if owner_code else _owners_line(lot)
    item = lot.item
    lines = [lot.lot_code,
             translate(N_("Expiry %(date)s"), date=lot.expiry_date.isoformat()) if lot.expiry_date
             else translate(N_("No expiry")),
             translate(N_("Pack %(n)s %(unit)s"), n=item.pack_size, unit=item.unit_of_measure)]
    if owner:
        lines.append(owner)
    return Label(payload=qr.payload("lot", lot.lot_code, public_url()),
                 title=item.display_name(locale_code()), lines=tuple(lines))


def depot_label(depot) -> Label:
    return Label(payload=qr.payload("depot", depot.code, public_url()), title=depot.name,
                 lines=(depot.code, depot.unit.name))


def _image(label: Label, fmt: str) -> Response:
    if fmt == "png":
        return Response(label_png(label), mimetype="image/png",
                        headers={"Cache-Control": "private, max-age=300"})
    return Response(label_svg(label), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=300"})


LABEL_TYPES = ("image/svg+xml", "image/png")
SPACES = " \t\r\n"


@bp.get("/labels/lot/<lot_code>.<any(svg, png):fmt>")
@documented("A lot's label (QR code, item, lot, expiry, pack, owner) as SVG or PNG", "labels",
            query=LotLabelArgs, response=BINARY, content_type=LABEL_TYPES)
@permission_required(Permission.VIEW)
def lot_label_image(lot_code: str, fmt: str):
    owner = _query(LotLabelArgs()).get("owner")
    return _image(lot_label(_visible_lot(lot_code), owner), fmt)


@bp.get("/labels/depot/<depot_code>.<any(svg, png):fmt>")
@documented("A depot's label (QR code and name) as SVG or PNG", "labels",
            response=BINARY, content_type=LABEL_TYPES)
@permission_required(Permission.VIEW)
def depot_label_image(depot_code: str, fmt: str):
    depot = access.require_depot(current_actor(), units.get_depot(db.session, depot_code))
    return _image(depot_label(depot), fmt)


def _query(schema) -> dict:
    """The query validated by `schema` (a 422 naming a bad argument); blanks count as not
    given, `lang` is the app's own."""
    def blank(value: str) -> bool:  # spaces only; control characters are refused, not blank
        return not value.strip(SPACES)

    raw = {key: ([v for v in request.args.getlist(key) if not blank(v)] if key in LIST_ARGS
                 else value.strip(SPACES))
           for key, value in request.args.items() if key != "lang" and not blank(value)}
    return schema.load(raw)


@bp.get("/labels/sheet")
@documented("Printable labels (an HTML page): chosen lots and depots, copies, A4 or 50×30 mm",
            "labels", query=LabelSheetArgs, response={"type": "string"}, content_type="text/html",
            error_content_type="text/html", sign_in_redirect=True)
@permission_required(Permission.VIEW)
def label_sheet():
    """Printable labels: pick lots (by depot/item) and copies; A4 grid or one 50×30 mm per page.
    Bad arguments are named on the page itself, with what was chosen kept (422)."""
    user = current_actor()
    try:
        args = _query(LabelSheetArgs())
    except ValidationError as error:
        errors = translate_tree(error.messages)
        return _sheet_page(user, _typed_args(errors), [], errors), 422
    lots = [_visible_lot(code) for code in args["lot"]]
    depots = [access.require_depot(user, units.get_depot(db.session, code))
              for code in args["depot"]]
    labels = [("lot", lot.lot_code) for lot in lots] + [("depot", d.code) for d in depots]
    total = len(labels) * args["copies"]
    if total > MAX_LABELS_PER_SHEET_REQUEST:  # refused, never silently cut short
        return _sheet_page(user, args, [], {"copies": [translate(
            N_("%(total)s labels are more than %(max)s at once: choose fewer copies or lots."),
            total=total, max=MAX_LABELS_PER_SHEET_REQUEST)]}), 422
    return _sheet_page(user, args, [entry for entry in labels for _ in range(args["copies"])])


def _typed_args(errors: dict) -> dict:
    """The sheet's arguments as typed, to show again with the errors."""
    def typed(key: str) -> list[str]:  # control characters are not shown again
        return [value for value in request.args.getlist(key) if value.isprintable()]

    layout = request.args.get("layout", "a4")
    picker = None if "picker_depot" in errors else request.args.get("picker_depot", "").strip()
    return {"lot": typed("lot"), "depot": typed("depot"),
            "copies": request.args.get("copies", "1"), "picker_depot": picker or None,
            "layout": layout if layout in LAYOUTS else "a4"}


def _sheet_page(user, args: dict, labels: list, errors: dict | None = None) -> str:
    picker = args.get("picker_depot")
    candidates = list(db.session.scalars(stock.stock_query(
        user, stock.StockFilter(depot=units.get_depot(db.session, picker)), today=date.today())
        .limit(PICKER_LIMIT + 1))) if picker else []
    return render_template("labels/sheet.html", labels=labels, layout=args["layout"],
                           copies=args["copies"], candidates=candidates[:PICKER_LIMIT],
                           more_candidates=len(candidates) > PICKER_LIMIT,
                           depots=stock.visible_depots(db.session, user), picker=picker,
                           chosen=list(dict.fromkeys(args["lot"])),
                           chosen_depots=list(dict.fromkeys(args["depot"])), errors=errors or {})


@bp.get("/q/<any(T, D, O):kind>/<path:code>")
@permission_required(Permission.VIEW)
def qr_redirect(kind: str, code: str):
    """Where a label leads a phone's own camera app: the lot, depot or dispatch order page."""
    if kind == "T":
        return redirect(url_for("web.lot_detail", lot_code=code))
    if kind == "D":
        return redirect(url_for("web.depot_detail", depot_code=code))
    return redirect(url_for("web.order_detail", code=code))
