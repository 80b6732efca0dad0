"""Human names of enum values and tiers, translated at render time."""
from __future__ import annotations

import enum
from functools import lru_cache
from pathlib import Path

from inventory.i18n import translate
from inventory.services.errors import N_, Coded

LABELS: dict[str, dict[str, str]] = {
    "category": {
        "shelter": N_("Shelter"), "bedding": N_("Bedding and clothing"), "food": N_("Food"),
        "water": N_("Water"), "light_power": N_("Lighting and power"),
        "sanitation_hygiene": N_("Sanitation and hygiene"), "medical": N_("Medical"),
        "rescue": N_("Rescue"), "communications": N_("Communications"), "other": N_("Other"),
    },
    "depot_kind": {
        "depot": N_("Depot"), "reserve_point": N_("Reserve point"),
        "service_station": N_("Service station"), "partner_site": N_("Partner site"),
    },
    "role": {
        "admin": N_("Administrator"), "bureau": N_("Bureau officer"),
        "dispatcher": N_("Dispatcher"), "keeper": N_("Depot keeper"), "viewer": N_("Viewer"),
    },
    "source": {
        "procurement": N_("Procurement"), "allocation": N_("Allocation from above"),
        "donation": N_("Donation"), "requisition": N_("Requisition"), "return": N_("Return"),
    },
    "movement_kind": {
        "receive": N_("Receive"), "issue": N_("Issue"), "transfer": N_("Transfer"),
        "count": N_("Stocktake"), "loss": N_("Loss"), "scrap": N_("Scrap"),
        "write_off": N_("Write-off"), "reversal": N_("Reversal"),
    },
    "write_off_status": {"pending": N_("Awaiting write-off"), "written_off": N_("Written off"),
                         "reversed": N_("Reversed")},
    "tier": {
        "city": N_("City"), "district": N_("District"), "street": N_("Street"),
        "community": N_("Community"), "province": N_("Province"), "county": N_("County"),
        "township": N_("Township"), "village": N_("Village"), "household": N_("Household"),
    },
    "lot_status": {"available": N_("Available"), "quarantined": N_("Quarantined")},
    "basis": {"owner": N_("stock owned by the area"), "location": N_("stock held in the area")},
    "season": {"warm": N_("warm season"), "cold": N_("cold season")},
    "agreement_mode": {"stock": N_("Agreement stock (held for us)"),
                       "supply": N_("Supply agreement"), "capacity": N_("Production capacity")},
    "alert_kind": {
        "shortfall": N_("Shortfall"), "below_minimum": N_("Below depot minimum"),
        "expiring": N_("Expiring"), "expired": N_("Expired"),
        "agreement_expiring": N_("Agreement expiring"), "check_overdue": N_("Check overdue"),
        "bases_below_target": N_("Agreement bases below target"),
        "preposition_below_target": N_("Pre-positioning below target"),
        "dispatch_overdue": N_("Dispatch overdue"),
    },
    "severity": {"critical": N_("Severe"), "warning": N_("Warning"), "info": N_("Notice")},
    "alert_state": {"open": N_("Open"), "acknowledged": N_("Acknowledged"),
                    "resolved": N_("Resolved")},
    "event_type": {
        "flood": N_("Flood"), "earthquake": N_("Earthquake"), "storm": N_("Storm"),
        "snow": N_("Snow and ice"), "drought": N_("Drought"), "fire": N_("Fire"),
        "geological": N_("Geological hazard"), "other": N_("Other"),
    },
    "event_status": {"active": N_("Ongoing"), "closed": N_("Closed")},
    "order_status": {
        "draft": N_("Draft"), "approved": N_("Approved for dispatch"), "picking": N_("Picking"),
        "dispatched": N_("Dispatched"), "received": N_("Received"), "cancelled": N_("Cancelled"),
    },
    "calloff_status": {"proposed": N_("Proposed"), "called": N_("Called off"),
                       "received": N_("Received"), "cancelled": N_("Cancelled")},
    "response_level": {"1": N_("Level I"), "2": N_("Level II"), "3": N_("Level III"),
                       "4": N_("Level IV")},
    # Names of input fields, for error messages ("Quantity: This field is required.").
    "field": {
        "request_id": N_("Request id"), "kind": N_("Kind"), "item_code": N_("Item"),
        "lot_code": N_("Lot"), "batch_no": N_("Supplier batch"), "expiry_date": N_("Expiry"),
        "production_date": N_("Produced"), "owner_code": N_("Owner"), "depot_code": N_("Depot"),
        "to_depot_code": N_("Transfer to depot"), "to_owner_code": N_("New owner"),
        "quantity": N_("Quantity"), "reason": N_("Reason"), "source": N_("Source"),
        "supplier": N_("Supplier"), "order_code": N_("Dispatch order"),
        "confirm_expired": N_("Issue expired lot"), "payload": N_("Scanned text"),
        "unit": N_("Unit"), "people": N_("People"), "hours": N_("Hours"), "on": N_("As of"),
        "basis": N_("Basis"), "season": N_("Season"), "state": N_("State"),
        "severity": N_("Severity"), "page": N_("Page"), "per_page": N_("Rows per page"),
        "format": N_("Format"), "lot": N_("Lot"), "depot": N_("Depot"), "owner": N_("Owner"),
        "copies": N_("Copies"), "layout": N_("Layout"), "picker_depot": N_("Depot"),
        "item": N_("Item"), "category": N_("Category"),
        "expiring_within_days": N_("Expiring within (days)"), "q": N_("Search"),
        "since": N_("Since"), "until": N_("Until"), "stale_days": N_("Days without update"),
        "days": N_("Period (days)"), "wall": N_("Wall display"), "lang": N_("Language"),
        "mode": N_("Mode"), "partner": N_("Partner"), "day": N_("Day"), "status": N_("Status"),
        "event": N_("Disaster event"), "action": N_("Action"), "who": N_("User"),
    },
}
# Keys of an error tree that name no field: errors of the whole form or of a whole line.
NO_FIELD = ("_schema", "_")


# The LABELS group of each enum whose members services pass as message parameters.
ENUM_GROUPS = {"OrderStatus": "order_status", "CallOffStatus": "calloff_status",
               "EventStatus": "event_status", "EventType": "event_type",
               "MovementKind": "movement_kind", "LotStatus": "lot_status",
               "LotSource": "source", "Category": "category", "DepotKind": "depot_kind",
               "Role": "role", "AgreementMode": "agreement_mode", "AlertKind": "alert_kind",
               "AlertSeverity": "severity", "AlertState": "alert_state"}


def enum_label(value: enum.Enum) -> str:
    """Translated name of an enum member (its value when its enum has no labels)."""
    group = ENUM_GROUPS.get(type(value).__name__)
    return label(group, value) if group else str(value.value)


def label(group: str, value: object) -> str:
    """Translated name of `value` in `group`; unknown values are shown as they are."""
    key = getattr(value, "value", value)
    text = LABELS.get(group, {}).get(str(key))
    return translate(text) if text else str(key)


def field_label(name: object) -> str:
    """The translated name of an input field; "" for whole-form errors. A name we do not know
    (an unknown query argument the user typed) is shown as it came."""
    return "" if str(name) in NO_FIELD else label("field", name)


def field_labels() -> dict[str, str]:
    """Every known field name → its translated name (the scan page's script uses it)."""
    return {name: label("field", name) for name in LABELS["field"]}


def error_lines(errors: object) -> list[str]:
    """An error tree ({field: [messages]}, nested for lines) as readable lines:
    "Quantity: This field is required." — never a raw field identifier."""
    if isinstance(errors, dict):
        lines = []
        for name, messages in errors.items():
            caption = field_label(name)
            for line in error_lines(messages):
                lines.append(translate(N_("%(field)s: %(text)s"), field=caption,
                                       text=line) if caption else line)
        return lines
    if isinstance(errors, (list, tuple)):
        if all(isinstance(item, str) for item in errors):
            return [" ".join(errors)] if errors else []
        return [line for item in errors for line in error_lines(item)]
    return [str(errors)]


def choices(group: str, values=None) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a select box."""
    keys = values if values is not None else LABELS[group].keys()
    return [(str(getattr(k, "value", k)), label(group, k)) for k in keys]


def aliases(tiers: list[str]) -> dict[str, dict[str, str]]:
    """What people type for coded values in spreadsheets → the stored value.

    The value itself, its English label and its Chinese label all count (lower-cased),
    whatever language the importing user has chosen.
    """
    chinese = _chinese()
    groups = {"category": "category", "source": "source", "kind": "depot_kind", "tier": "tier"}
    table: dict[str, dict[str, str]] = {}
    for name, group in groups.items():
        values = tiers if group == "tier" else LABELS[group].keys()
        entries = {}
        for value in values:
            english = LABELS[group].get(value, value)
            for text in (value, english, chinese.gettext(english)):
                entries[text.lower()] = value
        table[name] = entries
    return table


@lru_cache(maxsize=1)
def _chinese():
    from babel.support import Translations

    return Translations.load(str(Path(__file__).parent / "translations"), ["zh"])


def labeler(locale: str):
    """A `label` that works without a request (CLI exports): (group, value) → text in `locale`."""
    chinese = None if locale.startswith("en") else _chinese()

    def label_in(group: str, value: object) -> str:
        key = str(getattr(value, "value", value))
        text = LABELS.get(group, {}).get(key)
        if text is None:
            return key
        return chinese.gettext(text) if chinese is not None else text
    return label_in


# Coded values in domain messages (services.errors.Coded) read as their labels.
Coded.namer = label
