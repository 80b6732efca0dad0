"""Chinese for what a handheld scanner types with the keyboard in Chinese mode (scripts/i18n_fill.py)."""
T = {
    "The scanner typed Chinese characters: switch the input method to English (usually the Shift key) and scan again.":
        "扫码枪输入了中文字符：请把输入法切换到英文（通常按 Shift 键）后重新扫描。",
}
