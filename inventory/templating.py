"""Jinja filters and globals: locale-aware numbers and dates, labels, permissions."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_percent
from flask_login import current_user

from inventory import i18n, labels
from inventory.models.base import as_utc
from inventory.services import access
from inventory.services.access import Permission
from inventory.services.errors import N_


def number(value: int | float | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" if digits == 0 else "#,##0." + "#" * digits
    return format_decimal(value, format=pattern)


def percent(value: float | Decimal | None) -> str:
    return "–" if value is None else format_percent(value, format="#,##0.#%")


def day(value: date | None) -> str:
    return "–" if value is None else format_date(value, format="medium")


def moment(value: datetime | None) -> str:
    return "–" if value is None else format_datetime(as_utc(value), format="short")


def can(permission: str) -> bool:
    return current_user.is_authenticated and access.can(current_user, Permission(permission))


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# Main navigation: (endpoint, label msgid, permission); entries whose endpoint does not
# exist (a feature not installed) are skipped.
NAV = [
    ("web.home", N_("Home"), "view"),
    ("web.scan", N_("Scan"), "book_stock"),
    ("web.stock_list", N_("Stock"), "view"),
    ("web.ledger_page", N_("Ledger"), "view"),
    ("web.readiness_page", N_("Readiness"), "view"),
    ("web.alert_list", N_("Alerts"), "view"),
    ("web.event_list", N_("Disasters"), "view"),
    ("web.order_list", N_("Dispatch orders"), "view"),
    ("web.overview_page", N_("Overview"), "view"),
    ("web.unit_tree", N_("Units and depots"), "view"),
    ("web.item_list", N_("Catalogue"), "view"),
    ("web.norms_page", N_("Norms"), "view"),
    ("web.agreement_list", N_("Agreements"), "view"),
    ("web.label_sheet", N_("Labels"), "view"),
    ("web.write_offs", N_("Write-offs"), "approve_stock"),
    ("web.trends_page", N_("Trends"), "view"),
    ("web.rollup_report", N_("Roll-up"), "view"),
    ("web.import_start", N_("Import"), "book_stock"),
    ("web.export_list", N_("Exports"), "view"),
    ("web.user_list", N_("Users"), "manage_users"),
    ("web.audit_log", N_("Audit log"), "manage_users"),
]


def nav_links() -> list[tuple[str, str, str]]:
    return [(endpoint, i18n.translate(text), perm) for endpoint, text, perm in NAV
            if endpoint in current_app.view_functions]


def unit_choices(units) -> list[tuple[str, str]]:
    """(code, indented name) for a select box of units in tree order."""
    base = min((unit.depth for unit in units), default=0)
    return [(unit.code, "\u3000" * (unit.depth - base) + f"{unit.name} ({unit.code})")
            for unit in units]


def _open_alert_count() -> int:
    from inventory.web.alerts import open_alert_count

    return open_alert_count()


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(number=number, percent=percent, day=day, moment=moment)
    app.jinja_env.globals.update(
        label=labels.label, choices=labels.choices, field_label=labels.field_label,
        field_labels=labels.field_labels, error_lines=labels.error_lines, can=can,
        url_with=url_with,
        locale_code=i18n.locale_code, html_lang=i18n.html_lang,
        tiers=lambda: current_app.config["TIERS"], nav_links=nav_links,
        unit_choices=unit_choices, open_alert_count=_open_alert_count)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
