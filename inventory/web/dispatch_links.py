"""Where a scanned order label leads: the pick list, the receipt form, or the order page."""
from __future__ import annotations

from typing import Any

from flask import url_for


def order_page_url(code: str, order: dict[str, Any]) -> str:
    """The page for what to do next with the order (`services.dispatch_picking.describe`)."""
    if order["action"] == "pick":
        return url_for("web.order_pick", code=code, depot_code=order["depot_code"])
    if order["action"] == "receive":
        return url_for("web.order_receive", code=code)
    return url_for("web.order_detail", code=code)
