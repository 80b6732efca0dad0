"""Data in and out: spreadsheet import with a preview, templates, and register downloads."""
from __future__ import annotations

import hashlib
import secrets
import time
from datetime import date
from pathlib import Path

from flask import Response, current_app, render_template, request, session
from werkzeug.exceptions import NotFound

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import locale_code, translate
from inventory.labels import aliases, label
from inventory.models import utcnow
from inventory.reports import (CSV_MIMETYPE, XLSX_MIMETYPE, Table, TooManyRows, UnreadableFile,
                               csv_bytes, read_table, xlsx_bytes)
from inventory.schemas.common import query_args
from inventory.schemas.reports import STALE_DAYS_MAX, ExportArgsIn
from inventory.services import access, exports, imports, stock, units
from inventory.services.access import Permission
from inventory.services.errors import N_, Forbidden
from inventory.services.sheets import titles
from inventory.web import bp

IMPORT_PERMISSION = {"stock": Permission.BOOK_STOCK, "items": Permission.MANAGE_CATALOGUE,
                     "units": Permission.MANAGE_CATALOGUE, "depots": Permission.MANAGE_CATALOGUE,
                     "agreement_lines": Permission.MANAGE_CATALOGUE}
PENDING_MAX_AGE_SECONDS = 24 * 3600


def _pending_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _allowed_kinds() -> list[str]:
    return [kind for kind in imports.KINDS if access.can(current_actor(), IMPORT_PERMISSION[kind])]


@bp.get("/imports")
@permission_required(Permission.BOOK_STOCK)
def import_start():
    return _page("transfer/import.html", kinds=_allowed_kinds(), kind=request.args.get("kind", "stock"))


@bp.post("/imports")
@permission_required(Permission.BOOK_STOCK)
def import_upload():
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    if kind not in imports.KINDS:
        return _page("transfer/import.html", kinds=_allowed_kinds(), kind="stock",
                     kind_error=translate(N_("Choose what the file holds."))), 422
    if kind not in _allowed_kinds():
        raise Forbidden(N_("Your role does not allow this."))
    if upload is None or not upload.filename:
        return _page("transfer/import.html", kinds=_allowed_kinds(), kind=kind,
                               file_error=translate(N_("Choose a file to upload."))), 422
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        return _page("transfer/import.html", kinds=_allowed_kinds(), kind=kind,
                               file_error=translate(N_("Upload an .xlsx or .csv file."))), 422
    _forget_old_uploads()
    token = secrets.token_hex(12)
    (_pending_dir() / f"{token}{suffix}").write_bytes(upload.read())
    session["pending_import"] = {"token": token, "kind": kind, "suffix": suffix,
                                 "name": upload.filename[:200]}
    return _run(commit=False)


@bp.post("/imports/confirm")
@permission_required(Permission.BOOK_STOCK)
def import_confirm():
    pending = session.get("pending_import")
    if not pending or request.form.get("token") != pending["token"]:
        return _expired_upload()
    return _run(commit=True)


def _expired_upload():
    """Nothing to confirm (another tab imported it, or the session ended): say so, 409."""
    session.pop("pending_import", None)
    return _page("transfer/import.html", kinds=_allowed_kinds(), kind="stock",
                 file_error=translate(N_("The uploaded file is no longer available; upload it again."))), 409


def _run(*, commit: bool):
    """Validate (and on confirmation apply) the pending upload; render what happened."""
    pending = session["pending_import"]
    if pending["kind"] not in _allowed_kinds():
        raise Forbidden(N_("Your role does not allow this."))
    path = _pending_dir() / f"{pending['token']}{pending['suffix']}"
    if not path.exists():
        return _expired_upload()
    data = path.read_bytes()
    try:
        headers, rows = read_table(data, path.name, max_rows=_page_max_rows())
    except UnreadableFile as error:
        path.unlink(missing_ok=True)
        return _page("transfer/import.html", kinds=_allowed_kinds(), kind=pending["kind"],
                     file_error=_unreadable(error, pending["kind"])), 422
    result = imports.run_import(
        db.session, pending["kind"], headers, rows, user=current_actor(), now=utcnow(),
        tiers=current_app.config["TIERS"], aliases=aliases(current_app.config["TIERS"]),
        batch=hashlib.sha256(data).hexdigest()[:16], locale=locale_code())
    if not commit or not result.ok:
        db.session.rollback()
        return _page("transfer/preview.html", result=result, pending=pending,
                               committed=False), 200 if result.ok else 422
    db.session.commit()
    path.unlink(missing_ok=True)
    session.pop("pending_import", None)
    return _page("transfer/preview.html", result=result, pending=pending, committed=True)


def _page_max_rows() -> int:
    """Rows the page takes: each step of a page import must end well within the worker
    timeout (about 1,000 rows a second), so bigger files go through the command line."""
    config = current_app.config
    return min(int(config["IMPORT_PAGE_MAX_ROWS"]), int(config["IMPORT_MAX_ROWS"]))


def _unreadable(error: UnreadableFile, kind: str) -> str:
    message = translate(str(error), **error.params)
    if isinstance(error, TooManyRows) and _page_max_rows() < int(
            current_app.config["IMPORT_MAX_ROWS"]):
        command = ("flask --app wsgi import-stock FILE" if kind == "stock"
                   else f"flask --app wsgi import-data {kind} FILE")
        message += " " + translate(N_("The page takes at most that many; import a larger file "
                                      "on the server with: %(command)s"), command=command)
    return message


SUMMARY_LABELS = {"booked": N_("Lines booked"), "created": N_("Created"),
                  "updated": N_("Updated"), "pieces": N_("Pieces")}


def _page(template: str, **context):
    return render_template(template, kind_title=lambda kind: translate(KIND_TITLES[kind]),
                           summary_label=lambda key: translate(SUMMARY_LABELS.get(key, key)),
                           **context)


def _forget_old_uploads() -> None:
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in _pending_dir().iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


@bp.get("/imports/template/<kind>.<fmt>")
@permission_required(Permission.BOOK_STOCK)
def import_template(kind: str, fmt: str):
    """An empty sheet with the column titles, plus a sheet explaining each column."""
    if kind not in imports.SPECS or fmt not in ("xlsx", "csv"):
        raise NotFound()
    columns = [c for c in imports.SPECS[kind].columns if not c.info]
    locale = locale_code()
    table = Table(title=translate(KIND_TITLES[kind]), columns=titles(columns, locale), rows=[])
    required = translate(N_("required"))
    table.notes = [f"{c.title(locale)}{' (' + required + ')' if c.required else ''}"
                   for c in columns]
    return download(table, f"template-{kind}", fmt)


KIND_TITLES = {"stock": N_("Opening stock"), "items": N_("Catalogue and norms"),
               "units": N_("Units"), "depots": N_("Depots"),
               "agreement_lines": N_("Agreement lines")}

EXPORT_TITLES = {
    "stock": N_("Stock on hand (by unit, depot, item, lot)"), "ledger": N_("Ledger for a period"),
    "write-offs": N_("Loss, scrap and write-off register"), "donations": N_("Donation ledger"),
    "requisitions": N_("Requisition ledger"),
    "readiness": N_("Readiness against the target (per item)"),
    "purchase-plan": N_("Purchase plan (to reach the target, and to rotate expiring stock)"),
    "dispatches": N_("Dispatch register (orders: allocations, call-offs, unmet lines, "
                     "timeliness)"),
    "distributions": N_("Distribution register (goods to households)"),
    "agreements": N_("Agreement reserves (partners, lines, checks)"),
    "completeness": N_("Data completeness (units and depots not updated)"),
}


@bp.get("/exports")
@permission_required(Permission.VIEW)
def export_list():
    user = current_actor()
    query_args(request.args, ExportArgsIn())  # a bad value is a 422 naming it
    args = {k: v.strip() for k, v in request.args.items()
            if k in ("unit", "since", "until", "stale_days") and v.strip()}
    return render_template("transfer/exports.html", kinds=list(exports.EXPORTS),
                           titles=EXPORT_TITLES, units=stock.unit_tree(db.session, user),
                           args=args, stale_days_max=STALE_DAYS_MAX)


@bp.get("/exports/<kind>.<fmt>")
@permission_required(Permission.VIEW)
def export_download(kind: str, fmt: str):
    if kind not in exports.EXPORTS or fmt not in ("xlsx", "csv"):
        raise NotFound()
    values = query_args(request.args, ExportArgsIn())
    args = exports.ExportArgs(today=date.today(), unit=_export_unit(values.get("unit")),
                              locale=locale_code(), label=label, since=values.get("since"),
                              until=values.get("until"), stale_days=values["stale_days"],
                              season=current_app.config["SEASON"])
    return download(exports.EXPORTS[kind](db.session, args), kind, fmt)


def _export_unit(code: str | None):
    """The unit asked for (within the user's area), else the user's own area."""
    user = current_actor()
    if code:
        return access.require_unit(user, units.get_unit(db.session, code))
    return user.unit if user.unit_id is not None else None


def download(table: Table, name: str, fmt: str) -> Response:
    data = xlsx_bytes(table) if fmt == "xlsx" else csv_bytes(table)
    filename = f"{name}-{date.today().isoformat()}.{fmt}"
    return Response(data, mimetype=XLSX_MIMETYPE if fmt == "xlsx" else CSV_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
