"""Chinese for the ledger page (台账, GET /movements) (scripts/i18n_fill.py)."""
T = {
    "Item / lot": "物资 / 批次",
    "Reason / order": "原因 / 调拨单",
    "of #%(id)s": "原流水 #%(id)s",
    "Lot code": "批次编码",
    "Booked by (user name)": "经办人（用户名）",
    "Reason, order or lot": "原因、调拨单或批次",
    "All movements of this depot": "本仓库全部流水",
}
