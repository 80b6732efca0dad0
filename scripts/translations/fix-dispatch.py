"""Chinese for the messages of the fix-dispatch branch (scripts/i18n_fill.py reads T)."""
T = {
    "Movement %(id)s belongs to dispatch order %(order)s; reverse it through the order.":
        "流水 %(id)s 属于调拨单 %(order)s，须按调拨单冲销。",
    "Movement %(id)s books the receipt of order %(order)s and cannot be reversed; book a "
    "correction instead.":
        "流水 %(id)s 是调拨单 %(order)s 的接收记账，不能冲销；请另行登记更正。",
    "Order %(order)s is %(status)s: its picks can no longer be reversed. Record any "
    "difference at receipt.":
        "调拨单 %(order)s 当前为 %(status)s，拣货已不能冲销。差异请在接收时登记。",
    "The pick of movement %(id)s is no longer on order %(order)s.":
        "流水 %(id)s 的拣货已不在调拨单 %(order)s 上。",
}
