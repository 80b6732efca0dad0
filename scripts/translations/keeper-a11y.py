"""Chinese for the keeper pages' accessibility strings (scripts/i18n_fill.py)."""
T = {
    "Undone on the scan page": "扫码页撤销",
    "%(n)s days left": "还剩 %(n)s 天",
    "Quantity minus %(n)s": "数量减 %(n)s",
    "Quantity plus %(n)s": "数量加 %(n)s",
    "Not booked. %(why)s": "未登记。%(why)s",
    "Expires soon": "即将到期",
}
