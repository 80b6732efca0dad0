T = {
    "Received just now: %(lots)s.": "刚入库：%(lots)s。",
    "Print labels for these lots": "打印这些批次的标签",
}
