"""Thresholds of the alert rules, without a database."""
from datetime import date

import pytest

from inventory.services.alert_rules import (AlertCandidate, agreement_expiry_severity,
                                            as_candidate, bases_severity, below_minimum_severity,
                                            check_due, check_overdue_severity, expiry_alert,
                                            preposition_severity, shortfall_severity)

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("usable, required, severity", [
    (100, 100, None), (120, 100, None), (99, 100, "info"), (80, 100, "info"),
    (79, 100, "warning"), (50, 100, "warning"), (49, 100, "critical"), (0, 100, "critical"),
    (0, 0, None)])
def test_shortfall_below_100_80_50_percent(usable, required, severity):
    assert shortfall_severity(usable, required) == severity


@pytest.mark.parametrize("expiry, expected", [
    (date(2026, 5, 31), ("expired", "critical")), (date(2026, 6, 1), ("expiring", "critical")),
    (date(2026, 7, 1), ("expiring", "critical")), (date(2026, 7, 2), ("expiring", "warning")),
    (date(2026, 8, 30), ("expiring", "warning")), (date(2026, 8, 31), ("expiring", "info")),
    (date(2026, 11, 28), ("expiring", "info")), (date(2026, 11, 29), None)])
def test_expiry_windows_of_30_90_180_days(expiry, expected):
    assert expiry_alert(expiry, TODAY) == expected


def test_agreement_expiring_within_60_days():
    assert agreement_expiry_severity(date(2026, 8, 1), TODAY) is None
    assert agreement_expiry_severity(date(2026, 7, 31), TODAY) == "warning"
    assert agreement_expiry_severity(date(2026, 6, 16), TODAY) == "critical"
    assert agreement_expiry_severity(date(2026, 5, 31), TODAY) is None


def test_check_due_and_overdue():
    assert check_due(None, date(2026, 1, 1), 90) == date(2026, 4, 1)
    assert check_due(date(2026, 5, 1), date(2026, 1, 1), 90) == date(2026, 7, 30)
    assert check_overdue_severity(date(2026, 6, 1), TODAY, 90) is None
    assert check_overdue_severity(date(2026, 5, 31), TODAY, 90) == "warning"
    assert check_overdue_severity(date(2026, 3, 1), TODAY, 90) == "critical"


def test_minimum_bases_and_preposition():
    assert below_minimum_severity(10, 10) is None
    assert below_minimum_severity(9, 10) == "warning"
    assert below_minimum_severity(0, 10) == "critical"
    assert bases_severity(2, 2) is None
    assert bases_severity(1, 2) == "warning"
    assert bases_severity(0, 2) == "critical"
    assert preposition_severity(0.34, 0.3333) is None
    assert preposition_severity(0.30, 0.3333) == "warning"
    assert preposition_severity(0.1, 0.3333) == "critical"


def test_rules_may_return_plain_dicts():
    candidate = as_candidate({"dedup_key": "dispatch_overdue:O1", "kind": "dispatch_overdue",
                              "severity": "critical", "message": "late", "params": {},
                              "value": 9.5, "order_code": "O1"})
    assert candidate == AlertCandidate(dedup_key="dispatch_overdue:O1", kind="dispatch_overdue",
                                       severity="critical", message="late", params={}, value=9.5,
                                       order_code="O1")


def test_check_due_saturates_instead_of_overflowing():
    # A stored agreement starting near the end of the calendar (saved before dates were
    # bounded) must not turn its detail page, the alerts or the export into a 500.
    assert check_due(None, date(9999, 12, 1), 730) == date.max
    assert check_due(date(9999, 6, 1), date(2026, 1, 1), 365) == date.max
    assert check_overdue_severity(date.max, TODAY, 730) is None
