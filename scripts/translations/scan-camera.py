"""Chinese for the scan page's camera controls (scripts/i18n_fill.py)."""
T = {
    "Stop camera": "关闭摄像头",
    "Light": "手电筒",
}
