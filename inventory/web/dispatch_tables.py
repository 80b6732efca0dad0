"""The daily event report (每日统报) as spreadsheet tables for `inventory.reports`."""
from __future__ import annotations

from datetime import date, datetime

from inventory.i18n import locale_code, translate
from inventory.labels import label
from inventory.reports import Table
from inventory.services.dispatch_reports import MEASURES, DailyReport
from inventory.services.errors import N_

MEASURE_TITLES = {"requested": N_("Requested"), "allocated": N_("Allocated"),
                  "dispatched": N_("Dispatched"), "received": N_("Received"),
                  "distributed": N_("Distributed")}


def measure_title(measure: str) -> str:
    return translate(MEASURE_TITLES[measure])


def daily_report_tables(report: DailyReport, day: date, *, generated: datetime) -> list[Table]:
    """Per-item figures (the day and cumulative) and a summary sheet."""
    event = report.event
    notes = [translate(N_("Daily report of %(event)s (%(code)s) for %(day)s"), event=event.name,
                       code=event.code, day=day.isoformat()),
             translate(N_("Generated %(when)s"), when=generated.strftime("%Y-%m-%d %H:%M"))]
    columns = [translate(N_("Item code")), translate(N_("Item")), translate(N_("Unit of measure"))]
    for measure in MEASURES:
        columns += [translate(N_("%(measure)s today"), measure=measure_title(measure)),
                    translate(N_("%(measure)s in total"), measure=measure_title(measure))]
    rows = [[row.item.code, row.item.display_name(locale_code()), row.item.unit_of_measure]
            + [value for measure in MEASURES for value in (row.day[measure], row.total[measure])]
            for row in report.items]
    summary = [
        [translate(N_("People served")), report.people_day, report.people_total],
        [translate(N_("Households served")), report.households_day, report.households_total],
        [translate(N_("Orders received")), "", report.received_orders],
        [translate(N_("Received within the target")), "", report.on_time_orders],
        [translate(N_("Average hours from request to receipt")), "", report.average_hours],
    ] + [[translate(N_("Orders: %(status)s"), status=label("order_status", status)), "", count]
         for status, count in sorted(report.orders_by_status.items())]
    return [Table(title=translate(N_("Daily report")), columns=columns, rows=rows, notes=notes),
            Table(title=translate(N_("Summary")), columns=[
                translate(N_("Figure")), translate(N_("Today")), translate(N_("In total"))],
                rows=summary, notes=notes)]
