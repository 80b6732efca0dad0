"""The audit log in the reader's language: action names and details, translated at render time.

Audit records store stable English codes ("user.update", "role keeper->viewer; password
reset") so that searching and old records keep working; this module turns them into
"User changed" / "角色：库管员 → 查看者；重设密码" when a page shows them. Whatever it does
not recognise (a token's name, a code) is shown as it was stored.
"""
from __future__ import annotations

import re

from inventory.i18n import translate
from inventory.labels import label
from inventory.services.errors import N_

ACTIONS = {
    "login": N_("Signed in"), "login.failed": N_("Sign-in failed"),
    "login.throttled": N_("Sign-in blocked after repeated failures"),
    "user.create": N_("User created"), "user.update": N_("User changed"),
    "token.create": N_("API token issued"), "token.revoke": N_("API token revoked"),
    "unit.create": N_("Unit created"), "unit.update": N_("Unit changed"),
    "depot.create": N_("Depot created"), "depot.update": N_("Depot changed"),
    "depot.location": N_("Storage location added"),
    "depot.location.rename": N_("Storage location renamed"),
    "depot.location.remove": N_("Storage location removed"),
    "depot.minimum": N_("Depot minimum changed"),
    "item.create": N_("Item created"), "item.update": N_("Item changed"),
    "partner.create": N_("Partner created"), "partner.update": N_("Partner changed"),
    "agreement.create": N_("Agreement created"), "agreement.update": N_("Agreement changed"),
    "agreement.line": N_("Agreement line changed"),
    "agreement.check": N_("Agreement checked"),
    "event.create": N_("Event recorded"), "event.update": N_("Event figures updated"),
    "event.close": N_("Event closed"),
}

# The filter of the audit page: action prefixes, each with its caption.
FILTERS = {
    "login": N_("All sign-ins"), "login.failed": N_("Failed sign-ins"),
    "login.throttled": N_("Blocked sign-ins"), "user.": N_("Users"),
    "token.": N_("API tokens"), "unit.": N_("Units"), "depot.": N_("Depots"),
    "item.": N_("Items"), "partner.": N_("Partners"), "agreement.": N_("Agreements"),
    "event.": N_("Events"),
}

# Field names as the services write them into details.
FIELDS = {
    "role": N_("Role"), "unit": N_("Unit"), "display name": N_("Name"), "name": N_("Name"),
    "name_en": N_("English name"), "tier": N_("Tier"), "parent": N_("Parent unit"),
    "population": N_("Resident population"), "target_people": N_("Target people to relieve"),
    "horizon_hours": N_("Relief horizon (hours)"),
    "resident_share_target": N_("Target share of residents covered"),
    "preposition_target": N_("Pre-positioning target"),
    "agreement_base_target": N_("Agreement-reserve bases target"), "kind": N_("Kind"),
    "address": N_("Address"), "contact": N_("Contact"), "phone": N_("Phone"),
    "credit_code": N_("Unified social credit code"), "is_active": N_("Active"),
    "category": N_("Category"), "unit_of_measure": N_("Unit of measure"),
    "per_person": N_("Quantity per person (norm)"),
    "per_person_cold": N_("Quantity per person, cold season"), "critical": N_("Critical"),
    "shelf_life_days": N_("Shelf life (days)"), "pack_size": N_("Pack size"),
    "partner": N_("Partner"), "owner": N_("Owner unit"), "mode": N_("Mode"),
    "valid_from": N_("Valid from"), "valid_to": N_("Valid to"),
    "lead_time_hours": N_("Lead time (hours)"), "check_interval_days": N_("Check every (days)"),
    "note": N_("Note"), "checked_on": N_("Date of the check"), "type": N_("Type"),
    "response_level": N_("Response level"), "affected_people": N_("Affected people (estimate)"),
    "relocated_people": N_("Relocated people (estimate)"), "location": N_("Storage location"),
    "item": N_("Item"), "minimum": N_("Minimum"),
}
# What a record is about ("user:keeper"), and the audit page's own filter fields.
SUBJECTS = {"user": N_("User"), "unit": N_("Unit"), "depot": N_("Depot"), "item": N_("Item"),
            "partner": N_("Partner"), "agreement": N_("Agreement"), "event": N_("Event")}
FILTER_FIELDS = {"action": N_("Action"), "who": N_("User name"), "q": N_("Search"),
                 "since": N_("Since"), "until": N_("Until"), "page": N_("Page"),
                 "per_page": N_("Rows per page")}

# Fields whose values are codes with translated names (labels.LABELS groups).
VALUE_GROUPS = {"role": "role", "tier": "tier", "kind": "depot_kind", "mode": "agreement_mode",
                "category": "category", "type": "event_type", "response_level": "response_level"}
WORDS = {"activated": N_("activated"), "deactivated": N_("deactivated"),
         "password reset": N_("password reset"), "lines": N_("lines changed")}

_CHANGE = re.compile(r"^(?P<key>[a-z_]+(?: name)?) (?P<old>.*?)->(?P<new>.*)$", re.S)
_PAIRS = re.compile(r"(?:^|[ ,]+)([a-z_]+)=")


def action_label(action: str) -> str:
    """'user.update' → 'User changed' (translated); unknown actions as they are."""
    text = ACTIONS.get(action) or FILTERS.get(action)
    return translate(text) if text else action


def field_name(key: str) -> str:
    """A field of a detail or of the audit page's filter, by its translated name."""
    text = FIELDS.get(key) or FILTER_FIELDS.get(key)
    return translate(text) if text else key


def filter_choices() -> list[tuple[str, str]]:
    """(action prefix, translated caption) for the audit page's filter."""
    return [(value, translate(text)) for value, text in FILTERS.items()]


def audit_subject(subject: str) -> str:
    """'user:keeper' → 'User keeper' (translated kind, the code as it is)."""
    kind, _, code = subject.partition(":")
    if not code or kind not in SUBJECTS:
        return subject
    return translate(N_("%(kind)s %(code)s"), kind=translate(SUBJECTS[kind]), code=code)


def _value(key: str, value: str) -> str:
    value = value.strip()
    if value in ("-", "None", ""):
        return "–"
    if "->" in value:  # "minimum=3->5"
        old, new = value.split("->", 1)
        return translate(N_("%(old)s → %(new)s"), old=_value(key, old), new=_value(key, new))
    if value in ("True", "False"):
        return translate(N_("yes") if value == "True" else N_("no"))
    return label(VALUE_GROUPS[key], value) if key in VALUE_GROUPS else value


def _segment(text: str) -> str:
    if text in WORDS:
        return translate(WORDS[text])
    change = _CHANGE.match(text)
    if change and change["key"] in FIELDS:
        key = change["key"]
        return translate(N_("%(field)s: %(old)s → %(new)s"), field=field_name(key),
                         old=_value(key, change["old"]), new=_value(key, change["new"]))
    parts = _PAIRS.split(text)
    if len(parts) >= 3 and not parts[0].strip() and all(k in FIELDS for k in parts[1::2]):
        return translate(N_(", ")).join(
            translate(N_("%(field)s: %(value)s"), field=field_name(key), value=_value(key, value))
            for key, value in zip(parts[1::2], parts[2::2]))
    if text.startswith("location "):  # "location CODE NAME"
        return translate(N_("%(field)s: %(value)s"), field=field_name("location"),
                         value=text.removeprefix("location "))
    return text


def audit_detail(action: str, detail: str) -> str:
    """A stored detail in words: field names and coded values translated, the rest kept."""
    if not detail or action.startswith("token."):  # a token's name or prefix: the user's text
        return detail or ""
    return translate(N_("; ")).join(_segment(part) for part in detail.split("; "))
