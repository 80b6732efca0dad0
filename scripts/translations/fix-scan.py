"""Chinese for the fix-scan branch: field names in error messages, the scan page, labels."""
T = {
    "%(field)s: %(text)s": "%(field)s：%(text)s",
    "Dispatch order": "调拨单",
    "Format": "格式",
    "Layout": "版式",
    "Issue expired lot": "出库过期批次",
    "New owner": "新权属单位",
    "Page": "页码",
    "Request id": "请求编号",
    "Rows per page": "每页行数",
    "Scanned text": "扫描内容",
    "Supplier": "供应商",
}
