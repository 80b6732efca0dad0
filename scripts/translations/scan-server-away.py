"""Chinese for the scan page while the server is not answering (scripts/i18n_fill.py)."""
T = {
    "The server is not answering: this is the scan page as last opened on this phone. Bookings wait on this phone and are sent when the server is back.":
        "服务器暂无响应：这是本机上次打开的扫码页面。登记将保存在本机，服务器恢复后自动提交。",
    "The server is not answering: the undo was not sent. Try again in a moment.":
        "服务器暂无响应：撤销未发送，请稍后重试。",
    "The server is not answering: the label could not be looked up and nothing was saved. Scan it again in a moment.":
        "服务器暂无响应：未能查询该标签，也没有保存任何内容。请稍后重新扫描。",
    "The server is not answering: the lot as last looked up on this phone. A booking waits on this phone and is checked when it is sent.":
        "服务器暂无响应：显示本机上次查询到的批次信息。登记将保存在本机，提交时再核对。",
    "The server is not answering, and this lot was never looked up on this phone: only its code is known. A booking waits on this phone and is checked when it is sent.":
        "服务器暂无响应，且本机从未查询过该批次，仅知其编码。登记将保存在本机，提交时再核对。",
}
