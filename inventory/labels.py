"""Human names of enum values and tiers, translated at render time."""
from __future__ import annotations

from inventory.i18n import translate
from inventory.services.errors import N_

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
    "tier": {
        "city": N_("City"), "district": N_("District"), "street": N_("Street"),
        "community": N_("Community"), "province": N_("Province"), "county": N_("County"),
        "township": N_("Township"), "village": N_("Village"), "household": N_("Household"),
    },
    "lot_status": {"available": N_("Available"), "quarantined": N_("Quarantined")},
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
}


def label(group: str, value: object) -> str:
    """Translated name of `value` in `group`; unknown values are shown as they are."""
    key = getattr(value, "value", value)
    text = LABELS.get(group, {}).get(str(key))
    return translate(text) if text else str(key)


def choices(group: str, values=None) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a select box."""
    keys = values if values is not None else LABELS[group].keys()
    return [(str(getattr(k, "value", k)), label(group, k)) for k in keys]
