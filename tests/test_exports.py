"""Every export KIND of contract.md opens in a spreadsheet with its expected columns."""
import io

import pandas as pd
import pytest

from inventory.services.exports import EXPORTS

FIRST_COLUMNS = {
    "stock": ["物资编码", "物资名称", "批次编码", "生产批号", "有效期至"],
    "ledger": ["流水号", "时间(UTC)", "类型", "物资编码"],
    "readiness": ["物资编码", "物资名称", "计量单位", "关键物资", "人均标准", "需求量"],
    "purchase-plan": ["物资编码", "物资名称", "计量单位", "关键物资", "需求量"],
    "write-offs": ["损耗/报废时间(UTC)", "类型", "核销状态"],
    "donations": ["入库时间(UTC)", "捐赠方/被征用单位", "物资编码"],
    "requisitions": ["入库时间(UTC)", "捐赠方/被征用单位", "物资编码"],
    "dispatches": ["调拨单号", "灾情事件", "状态", "接收单位"],
    "distributions": ["发放单号", "灾情事件", "发放时间(UTC)", "发放点", "户主"],
    "agreements": ["协议编号", "协议企业", "统一社会信用代码", "储备单位"],
    "completeness": ["单位编码", "单位名称", "层级", "储备库编码"],
}
NON_EMPTY = {"stock", "ledger", "write-offs", "readiness", "purchase-plan", "dispatches",
             "distributions", "agreements", "completeness"}


def test_the_contracts_kinds_are_all_there():
    assert set(EXPORTS) == set(FIRST_COLUMNS)


@pytest.mark.slow
def test_every_export_of_the_demo_reads_back_with_pandas(runner, app, tmp_path):
    assert runner.invoke(args=["demo-data", "--password", "demo-password-1"]).exit_code == 0
    for kind, columns in FIRST_COLUMNS.items():
        for suffix in ("xlsx", "csv"):
            target = tmp_path / f"{kind}.{suffix}"
            result = runner.invoke(args=["export", kind, str(target)])
            assert result.exit_code == 0, (kind, result.output)
            frame = (pd.read_excel(target) if suffix == "xlsx"
                     else pd.read_csv(io.StringIO(target.read_text(encoding="utf-8-sig"))))
            assert list(frame.columns[:len(columns)]) == columns, kind
            assert (len(frame) > 0) == (kind in NON_EMPTY), kind
    english = tmp_path / "en.xlsx"
    assert runner.invoke(args=["export", "dispatches", str(english), "--lang", "en"]).exit_code == 0
    assert list(pd.read_excel(english).columns[:2]) == ["Order", "Event"]
