"""Chinese for the scan page's bookings waiting on the phone (scripts/i18n_fill.py)."""
T = {
    "waiting to be sent": "待提交",
    "Bookings waiting on this phone to be sent: %(n)s": "本机待提交的登记：%(n)s 条",
    "You are signed out: the booking is saved on this phone and is sent once you sign in again.":
        "您已退出登录：本次登记已保存在本机，重新登录后自动提交。",
    "This page has expired: the booking is saved on this phone and is sent once you reload the page.":
        "页面已过期：本次登记已保存在本机，刷新页面后自动提交。",
    "The server is not answering: the booking is saved on this phone and will be sent automatically.":
        "服务器暂无响应：本次登记已保存在本机，将自动提交。",
    "Reload the page": "刷新页面",
    "not booked": "未登记",
    "A booking saved on this phone was refused (lot {lot}), nothing was booked:":
        "本机保存的一条登记被拒绝（批次 {lot}），未登记：",
    "All bookings saved on this phone have been sent.": "本机保存的登记已全部提交。",
    "Send now": "立即提交",
    "The booking could not be sent, and this browser does not let the page keep it (storage full or turned off): nothing was booked. Try again when the network is back.":
        "登记未能提交，且浏览器不允许本页保存（存储已满或已关闭）：未登记。请在网络恢复后重试。",
    "Bookings saved on this phone are still waiting to be sent: %(n)s. They stay here and are sent when you sign in on this phone again. Sign out now?":
        "本机还有 %(n)s 条登记等待提交。它们会保留在本机，您下次在本机登录后自动提交。现在退出登录吗？",
    "Bookings of another user wait on this phone until they sign in here again: %(n)s":
        "其他用户的登记在本机等待其重新登录后提交：%(n)s 条",
    "No connection: the lot as last looked up on this phone. A booking waits on this phone and is checked when it is sent.":
        "无网络：显示本机上次查询到的批次信息。登记将保存在本机，联网提交时再核对。",
    "No connection, and this lot was never looked up on this phone: only its code is known. A booking waits on this phone and is checked when it is sent.":
        "无网络，且本机从未查询过该批次，仅知其编码。登记将保存在本机，联网提交时再核对。",
}
