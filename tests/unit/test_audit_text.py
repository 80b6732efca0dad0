"""Audit details as stored (English codes) → words: every format the services write."""
import pytest

from inventory.audit_text import (ACTIONS, FIELDS, FILTERS, action_label, audit_detail,
                                  audit_subject)
from inventory.i18n import translate


@pytest.mark.parametrize("action,detail,shown", [
    ("user.create", "role=keeper unit=S1", "Role: Depot keeper, Unit: S1"),
    ("user.create", "role=admin unit=-", "Role: Administrator, Unit: –"),
    ("user.update", "role keeper->viewer; unit S1->S2; deactivated; password reset",
     "Role: Depot keeper → Viewer; Unit: S1 → S2; deactivated; password reset"),
    ("user.update", "display name keeper->Keeper Renamed", "Name: keeper → Keeper Renamed"),
    ("unit.create", "tier=street parent=D1", "Tier: Street, Parent unit: D1"),
    ("unit.update", "population None->100; tier district->district",
     "Resident population: – → 100; Tier: District → District"),
    ("depot.create", "unit=S9 kind=reserve_point", "Unit: S9, Kind: Reserve point"),
    ("depot.update", "is_active True->False", "Active: yes → no"),
    ("depot.location", "location R1 Room 1", "Storage location: R1 Room 1"),
    ("agreement.create", "partner=P1 owner=D1 mode=stock",
     "Partner: P1, Owner unit: D1, Mode: Agreement stock (held for us)"),
    ("agreement.update", "lines", "lines changed"),
    ("agreement.check", "checked_on=2026-01-02", "Date of the check: 2026-01-02"),
    ("event.create", "unit=D1 type=flood", "Unit: D1, Type: Flood"),
    ("event.update", "response_level=2, affected_people=300",
     "Response level: Level II, Affected people (estimate): 300"),
    ("token.create", "role=x scanner", "role=x scanner"),  # the user's own text, kept
    ("agreement.line", "1010101=500", "1010101=500"),  # not understood: shown as stored
    ("login", "", ""),
])
def test_details_read_as_words(app, action, detail, shown):
    with app.test_request_context("/?lang=en"):
        assert audit_detail(action, detail) == shown


def test_actions_subjects_and_filters_are_named(app):
    with app.test_request_context("/?lang=en"):
        assert action_label("login.failed") == "Sign-in failed"
        assert action_label("user.") == "Users"
        assert action_label("somebody.new") == "somebody.new"
        assert audit_subject("user:keeper") == "User keeper"
        assert audit_subject("odd") == "odd"
    with app.test_request_context("/?lang=zh"):
        assert audit_detail("user.update", "role keeper->viewer") == "角色：库管员 → 只读用户"
        assert action_label("token.create") == "签发 API 令牌"
        assert audit_subject("depot:DEP-1") == "仓库 DEP-1"
        texts = [*ACTIONS.values(), *FILTERS.values(), *FIELDS.values()]
        assert [text for text in texts if translate(text) == text] == []
