"""Disaster events: list, record, the event page gathering everything, the daily report."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from inventory.api.dispatch import create_event
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import (CallOff, Distribution, DispatchOrder, EventStatus,
                              EventType, utcnow)
from inventory.reports import XLSX_MIMETYPE, xlsx_bytes
from inventory.schemas.common import form_data, parse_day
from inventory.schemas.dispatch import EventArgs, EventFiguresIn, EventIn
from inventory.services import dispatch, events, stock
from inventory.services.access import Permission
from inventory.services.dispatch_reports import daily_report, elapsed_hours, on_time
from inventory.services.errors import N_
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.dispatch_tables import daily_report_tables
from inventory.web.forms import render_form, try_submit


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, in UTC."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc)
    return start, start + timedelta(days=1)


@bp.get("/events")
@permission_required(Permission.VIEW)
def event_list():
    raw = {k: v for k, v in request.args.items() if v.strip()}
    values, errors = try_submit(lambda: EventArgs().load(raw))
    values = values or EventArgs().load({})
    stmt = events.find_events(current_actor(), status=values.get("status"), q=values.get("q"))
    page = paginate(db.session, stmt, page=values["page"], per_page=values["per_page"])
    return render_template("events/list.html", page=page, args=raw,
                           errors=errors), 422 if errors else 200


@bp.route("/events/new", methods=["GET", "POST"])
@permission_required(Permission.DISPATCH)
def event_new():
    form, errors = {"type": "flood", "started_at": local_now().strftime("%Y-%m-%dT%H:%M")}, {}
    if request.method == "POST":
        form = form_data(request.form) | {"area_codes": request.form.getlist("area_codes")}
        event, errors = try_submit(lambda: create_event(EventIn().load(
            {k: v for k, v in form.items() if v not in (None, [])})))
        if event is not None:
            db.session.commit()
            flash(translate(N_("Event %(code)s recorded."), code=event.code), "success")
            return redirect(url_for("web.event_detail", code=event.code))
    return render_form("events/form.html", form, errors, types=list(EventType),
                       units=stock.unit_tree(db.session, current_actor()))


@bp.get("/events/<code>")
@permission_required(Permission.VIEW)
def event_detail(code: str):
    user = current_actor()
    event = events.get_event(db.session, user, code)
    start, end = day_bounds(local_now().date())
    orders = db.session.scalars(dispatch.visible_orders(user).where(
        DispatchOrder.event_id == event.id)).all()
    calloffs = db.session.scalars(sa.select(CallOff).join(DispatchOrder).where(
        DispatchOrder.event_id == event.id).order_by(CallOff.code)).all()
    households = db.session.scalar(sa.select(sa.func.count(Distribution.id)).where(
        Distribution.event_id == event.id))
    return render_template("events/detail.html", event=event, orders=orders, calloffs=calloffs,
                           report=daily_report(db.session, event, start=start, end=end),
                           households=households, now=utcnow(), elapsed=elapsed_hours,
                           on_time=on_time)


@bp.post("/events/<code>/figures")
@permission_required(Permission.DISPATCH)
def event_figures(code: str):
    event = events.get_event(db.session, current_actor(), code)
    values, errors = try_submit(lambda: EventFiguresIn().load(form_data(request.form)))
    if values is None:
        flash(" ".join(" ".join(m) for m in errors.values()), "error")
        return redirect(url_for("web.event_detail", code=code))
    events.update_figures(db.session, current_actor(), event, now=utcnow(), **values)
    db.session.commit()
    flash(translate(N_("Figures updated.")), "success")
    return redirect(url_for("web.event_detail", code=code))


@bp.post("/events/<code>/close")
@permission_required(Permission.DISPATCH)
def event_close(code: str):
    event = events.get_event(db.session, current_actor(), code)
    events.close_event(db.session, current_actor(), event, now=utcnow())
    db.session.commit()
    flash(translate(N_("Event %(code)s closed."), code=code), "success")
    return redirect(url_for("web.event_detail", code=code))


@bp.get("/events/<code>/report")
@bp.get("/events/<code>/report.<any(xlsx):fmt>")
@permission_required(Permission.VIEW)
def event_report(code: str, fmt: str | None = None):
    event = events.get_event(db.session, current_actor(), code)
    try:
        day = parse_day(request.args.get("day")) or local_now().date()
    except ValidationError as error:  # 422 naming the argument
        raise ValidationError({"day": error.messages}) from error
    start, end = day_bounds(day)
    report = daily_report(db.session, event, start=start, end=end)
    if fmt == "xlsx":
        data = xlsx_bytes(*daily_report_tables(report, day, generated=local_now()))
        name = f"{event.code}-{day.isoformat()}.xlsx"
        return Response(data, mimetype=XLSX_MIMETYPE,
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    return render_template("events/report.html", event=event, report=report, day=day,
                           previous=day - timedelta(days=1), following=day + timedelta(days=1),
                           closed=event.status is EventStatus.CLOSED)
