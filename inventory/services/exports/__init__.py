"""Registers and reports as tables (`reports.Table`), for xlsx/csv downloads and the CLI.

Each export reads with SQL that returns plain rows (no ORM objects where a register can
hold hundreds of thousands of records) and is limited to a unit's subtree when one is
given. KIND names are those of contract.md (`flask --app wsgi export KIND FILE`).
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from inventory.reports import Table
from inventory.services.exports.common import ExportArgs
from inventory.services.exports.dispatch import dispatches, distributions
from inventory.services.exports.plans import agreements_table, purchase_plan_table, readiness_table
from inventory.services.exports.registers import (completeness, completeness_rows, donations,
                                                  ledger, loss_register, requisitions, stock,
                                                  write_offs)

__all__ = ["EXPORTS", "ExportArgs", "completeness_rows", "loss_register", "purchase_plan_table",
           "stock"]

EXPORTS: dict[str, Callable[[Session, ExportArgs], Table]] = {
    "stock": stock,
    "ledger": ledger,
    "readiness": readiness_table,
    "purchase-plan": purchase_plan_table,
    "write-offs": write_offs,
    "donations": donations,
    "requisitions": requisitions,
    "dispatches": dispatches,
    "distributions": distributions,
    "agreements": agreements_table,
    "completeness": completeness,
}
