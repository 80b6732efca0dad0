"""Command-line interface: `flask --app wsgi <command>`; thin commands over services."""
from __future__ import annotations

import secrets
import sqlite3
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError

from inventory.extensions import db
from inventory.models import Role, Unit, User, utcnow
from inventory.services import backup as backup_service
from inventory.services import alerts, demo, ledger, units, users
from inventory.services.errors import DomainError, InvalidInput

ROLE_CHOICE = click.Choice([role.value for role in Role])


def _invalid(error: ValidationError, names: dict[str, str]) -> None:
    """Refuse input the schema refused, naming each argument as typed on the command line."""
    from inventory.i18n import translate_tree

    messages = translate_tree(error.messages)
    raise click.UsageError("; ".join(
        f"{names.get(field, field)}: {' '.join(msgs) if isinstance(msgs, list) else msgs}"
        for field, msgs in messages.items()))


def _unwritable(file: Path, error: Exception) -> None:
    """A FILE that cannot be written (no such folder, no permission, not a database)."""
    reason = getattr(error, "strerror", None) or str(error)
    raise click.ClickException(f"Cannot write FILE {file}: {reason}")


def _fail(error: DomainError) -> None:
    """Print a domain error in plain words and exit non-zero (no traceback)."""
    from inventory.i18n import translate, translate_tree

    db.session.rollback()
    message = translate(error.message, **error.params)
    if isinstance(error, InvalidInput):
        details = translate_tree(error.errors, error.params)
        message = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in details.items())
    raise click.ClickException(message)


@click.command("demo-data")
@with_appcontext
@click.option("--password", envvar="INVENTORY_DEMO_PASSWORD", default=None,
              help="Password of the demo users (default: generated and printed).")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no units yet.")
def demo_data_command(password: str | None, if_empty: bool) -> None:
    """Load the demo reserve (Kangbashi district) unless it is already there."""
    password = password or secrets.token_urlsafe(9)
    if if_empty and db.session.scalar(sa.select(sa.func.count(Unit.id))):
        click.echo("The database already holds data; demo data not loaded.")
        _create_admin_if_none()
        return
    try:
        demo.demo_tiers(current_app.config["TIERS"])
    except DomainError as error:
        if not if_empty:
            _fail(error)
        # scripts/run: start anyway, with an administrator to set up the real units
        from inventory.i18n import translate
        click.echo(translate(error.message, **error.params), err=True)
        _create_admin_if_none()
        return
    try:
        result = demo.load(db.session, now=utcnow(), tiers=current_app.config["TIERS"],
                           password=password, season=current_app.config["SEASON"])
    except DomainError as error:
        _fail(error)
    db.session.commit()
    if not result.created:
        click.echo("Demo data already loaded; nothing changed.")
        return
    click.echo("Demo data loaded.")
    if result.users:
        _announce_logins(result.users, password)


def _announce_logins(names: list[str], password: str) -> None:
    note = Path(current_app.instance_path) / "initial-logins.txt"
    lines = [f"  {name:<11} {password}" for name in names]
    text = "Sign in with one of these (user, password):\n" + "\n".join(lines) + "\n"
    note.write_text(text)
    note.chmod(0o600)
    click.echo(text + f"(also saved to {note}; change the passwords after first sign-in)")


def _create_admin_if_none() -> None:
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return
    password = secrets.token_urlsafe(12)
    users.create_user(db.session, username="admin", password=password, role=Role.ADMIN,
                      unit=None, now=utcnow(), display_name="Administrator")
    db.session.commit()
    _announce_logins(["admin"], password)


@click.command("create-admin")
@with_appcontext
@click.option("--if-none", is_flag=True, required=True, help="Only when there is no user at all.")
def create_admin_command(if_none: bool) -> None:
    """Create the first administrator (password generated and printed) if there is no user."""
    _create_admin_if_none()


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--unit", "unit_code", default=None, help="Scope: the unit whose subtree the user acts on.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--display-name", default="")
def create_user_command(username: str, role: str, unit_code: str | None, password_stdin: bool,
                        display_name: str) -> None:
    """Create a user (the password is read from stdin, or generated and printed)."""
    from inventory.schemas.users import UserIn

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else secrets.token_urlsafe(12)
    try:
        args = UserIn().load({"username": username, "display_name": display_name,
                              "password": password, "role": role, "unit_code": unit_code})
    except ValidationError as error:
        _invalid(error, {"username": "USERNAME", "display_name": "--display-name",
                         "role": "--role", "unit_code": "--unit"})
    try:
        unit = units.get_unit(db.session, unit_code) if args.pop("unit_code", None) else None
        users.create_user(db.session, unit=unit, now=utcnow(), **args)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Created {role} {username}" + (f" for unit {unit_code}" if unit_code else ""))
    if not password_stdin:
        click.echo(f"Password: {password}")


@click.command("create-token")
@with_appcontext
@click.argument("username")
@click.option("--name", default="cli", help="A label to recognise the token by.")
def create_token_command(username: str, name: str) -> None:
    """Print a new bearer token for USERNAME on stdout (and nothing else)."""
    from inventory.schemas.users import TokenIn

    try:
        name = TokenIn().load({"name": name})["name"]
    except ValidationError as error:
        _invalid(error, {"name": "--name"})
    try:
        user = users.get_user(db.session, username)
        token = users.create_token(db.session, user=user, now=utcnow(), name=name)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(token)


@click.command("verify-ledger")
@with_appcontext
def verify_ledger_command() -> None:
    """Exit 0 when every balance equals the sum of its ledger; else list differences, exit 1."""
    differences = ledger.verify(db.session)
    if not differences:
        click.echo("Ledger OK: every balance equals the sum of its movements.")
        return
    click.echo(f"{len(differences)} balance(s) differ from the ledger:")
    shown = differences[:1000]
    for diff, (lot, depot, owner) in zip(shown, ledger.codes(db.session, shown)):
        click.echo(f"  lot={lot} depot={depot} owner={owner} "
                   f"balance={diff.balance} ledger={diff.ledger}")
    sys.exit(1)


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE while the app keeps running."""
    try:
        target = backup_service.backup(db.engine, file)
    except DomainError as error:
        _fail(error)
    except (OSError, sqlite3.Error) as error:
        _unwritable(file, error)
    click.echo(f"Backup written to {target}")


@click.command("check-alerts")
@with_appcontext
def check_alerts_command() -> None:
    """Evaluate the alert rules and store today's readiness per unit (for cron)."""
    from datetime import date

    now = utcnow()
    season = current_app.config["SEASON"]
    result = alerts.evaluate(db.session, today=date.today(), now=now, season=season)
    snapshots = alerts.take_snapshots(db.session, today=date.today(), now=now, season=season)
    db.session.commit()
    open_alerts = alerts.open_count(db.session, None)
    click.echo(f"Alerts: {result.opened} new, {result.reopened} re-opened, {result.updated} "
               f"still present, {result.resolved} resolved; {open_alerts} open. "
               f"Readiness snapshots: {snapshots}.")


@click.command("users")
@with_appcontext
def list_users_command() -> None:
    """List users with their role and scope."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        scope = user.unit.code if user.unit else "*"
        click.echo(f"{user.username:<20} {user.role.value:<10} {scope}")


def _read_upload(file: Path) -> tuple[list[str], list[list[str]]]:
    from inventory.reports import UnreadableFile, read_table

    try:
        return read_table(file.read_bytes(), file.name,
                          max_rows=int(current_app.config["IMPORT_MAX_ROWS"]))
    except UnreadableFile as error:
        from inventory.i18n import translate

        raise click.ClickException(translate(str(error), **error.params)) from error


def _run_import(kind: str, file: Path) -> None:
    """Validate and import FILE; all or nothing, bad rows listed, exit 1 when refused."""
    import hashlib

    from inventory.i18n import translate
    from inventory.labels import aliases
    from inventory.services import imports

    headers, rows = _read_upload(file)
    result = imports.run_import(
        db.session, kind, headers, rows, user=None, now=utcnow(),
        tiers=current_app.config["TIERS"], aliases=aliases(current_app.config["TIERS"]),
        batch=hashlib.sha256(file.read_bytes()).hexdigest()[:16])
    if not result.ok:
        db.session.rollback()
        click.echo(f"{file}: {len(result.errors)} problem(s); nothing was imported.", err=True)
        for error in result.errors:
            where = f"row {error.row}" + (f", {error.column}" if error.column else "")
            click.echo(f"  {where}: {translate(error.message, **error.params)}", err=True)
        sys.exit(1)
    db.session.commit()
    summary = ", ".join(f"{key} {value}" for key, value in sorted(result.summary.items()))
    click.echo(f"Imported {result.rows} row(s) from {file}: {summary}.")


@click.command("import-stock")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_stock_command(file: Path) -> None:
    """Book opening stock from an xlsx/csv FILE (all or nothing; bad rows are listed)."""
    _run_import("stock", file)


@click.command("import-data")
@with_appcontext
@click.argument("kind", type=click.Choice(["stock", "items", "units", "depots", "agreement_lines"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_data_command(kind: str, file: Path) -> None:
    """Import KIND (stock, items, units, depots, agreement_lines) from a FILE, all or nothing."""
    _run_import(kind, file)


def _day_option(ctx, param, value: str | None):
    """A YYYY-MM-DD option within the years the app accepts (as the pages' parse_day)."""
    from marshmallow import ValidationError

    from inventory.schemas.common import parse_day

    try:
        return parse_day(value)
    except ValidationError as error:
        raise click.BadParameter(" ".join(map(str, error.messages))) from error


@click.command("export")
@with_appcontext
@click.argument("kind")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--unit", "unit_code", default=None, help="Only this unit's subtree.")
@click.option("--since", callback=_day_option, default=None, help="First day (YYYY-MM-DD).")
@click.option("--until", callback=_day_option, default=None, help="Last day (YYYY-MM-DD).")
@click.option("--stale-days", type=click.IntRange(1, 3650), default=30, show_default=True,
              help="completeness: depots not updated in this many days are marked.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Header language.")
def export_command(kind: str, file: Path, unit_code: str | None, since, until, stale_days: int,
                   lang: str) -> None:
    """Write the KIND register to FILE (.xlsx or .csv)."""
    from datetime import date

    from inventory.labels import labeler
    from inventory.reports import csv_bytes, xlsx_bytes
    from inventory.services import exports

    if kind not in exports.EXPORTS:
        raise click.BadParameter(f"choose one of: {', '.join(exports.EXPORTS)}", param_hint="KIND")
    if file.suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter("the file name must end in .xlsx or .csv", param_hint="FILE")
    try:
        unit = units.get_unit(db.session, unit_code) if unit_code else None
    except DomainError as error:
        _fail(error)
    if since and until and until < since:
        raise click.BadParameter("the end of the period is before its start",
                                 param_hint="--until")
    args = exports.ExportArgs(today=date.today(), unit=unit, locale=lang, label=labeler(lang),
                              since=since, until=until, stale_days=stale_days,
                              season=current_app.config["SEASON"])
    table = exports.EXPORTS[kind](db.session, args)
    data = xlsx_bytes(table) if file.suffix.lower() == ".xlsx" else csv_bytes(table)
    try:
        file.write_bytes(data)
    except OSError as error:
        _unwritable(file, error)
    click.echo(f"Wrote {kind} to {file}")


COMMANDS = [demo_data_command, create_admin_command, create_user_command, create_token_command,
            verify_ledger_command, backup_command, list_users_command, check_alerts_command,
            import_stock_command, import_data_command, export_command]


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
