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
    "Everything arrived": "全部到货",
    "Only agreement call-offs supply this order: it is received when every call-off has been "
    "delivered.":
        "本调拨单仅由协议调用供货：所有调用单到货后即为已接收。",
    "Order %(code)s has been received already.": "调拨单 %(code)s 已接收。",
    "Order %(code)s is %(status)s: nothing is on the way to receive yet.":
        "调拨单 %(code)s 当前为 %(status)s：尚无在途物资可接收。",
    "Order %(code)s was cancelled; there is nothing to receive.":
        "调拨单 %(code)s 已取消，没有可接收的物资。",
    "Shipment received": "运输物资接收",
    "The shipment of order %(code)s was received already; the order is complete when its "
    "call-offs are delivered.":
        "调拨单 %(code)s 的运输物资已接收；协议调用到货后调拨单即完成。",
    "The shipment was received; the order is complete when its call-offs are delivered.":
        "运输物资已接收；协议调用到货后调拨单即完成。",
    "Enter a whole number from 0 to %(maximum)s.": "请输入 0 至 %(maximum)s 之间的整数。",
    "Agreement %(agreement)s has only %(left)s of %(item)s left to call off; call-off "
    "%(calloff)s asks for %(quantity)s. Propose the order again.":
        "协议 %(agreement)s 的 %(item)s 只剩 %(left)s 可调用，调用单 %(calloff)s 需要 "
        "%(quantity)s。请重新生成调拨方案。",
    "Only %(called)s were called off; tick \"accept more than called off\" to book "
    "%(quantity)s.":
        "只调用了 %(called)s；如要登记 %(quantity)s，请勾选“接收超出调用的数量”。",
    "accept more than called off": "接收超出调用的数量",
    "Distributed by": "发放人",
    "%(field)s: %(text)s": "%(field)s：%(text)s",
    "Destination depot": "目的仓库",
    "Label": "标签",
}
