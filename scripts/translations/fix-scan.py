"""Chinese for the fix-scan branch: field names in error messages, the scan page, labels."""
T = {
    "%(field)s: %(text)s": "%(field)s：%(text)s",
    "Dispatch order": "调拨单",
    "Expiring within (days)": "临期天数",
    "Format": "格式",
    "Layout": "版式",
    "Issue expired lot": "出库过期批次",
    "New owner": "新储备单位",
    "Page": "页码",
    "Request id": "请求编号",
    "Rows per page": "每页行数",
    "Scanned text": "扫描内容",
    "Supplier": "供应商",
}
T.update({
    "No connection: the label could not be looked up and nothing was saved. Scan it again when the network is back.":
        "无网络：未能查询该标签，也没有保存任何内容。网络恢复后请重新扫描。",
    "No connection: the undo was not sent. Try again when the network is back.":
        "无网络：撤销未发送。网络恢复后请重试。",
    "Several units own this lot here: first choose whose stock this is":
        "此批次在本库分属多个储备单位：请先选择是哪个单位的物资",
    "Several units own this lot here. Whose stock?": "此批次在本库分属多个储备单位，是哪个单位的物资？",
})
