"""Chinese for the scan page opened without a network (scripts/i18n_fill.py)."""
T = {
    "No connection: this is the scan page as last opened on this phone. Bookings wait on this phone and are sent when the network is back.":
        "无网络：这是本机上次打开的扫码页面。登记将保存在本机，网络恢复后自动提交。",
}
