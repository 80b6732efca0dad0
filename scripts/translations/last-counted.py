T = {
    "Last counted": "上次盘点",
    "Never": "从未",
}
