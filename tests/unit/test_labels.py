"""Field names in error messages: every input field of the booking, scan, readiness and
alert forms has a human name, and error text never shows a raw identifier."""
import pytest

from inventory import labels
from inventory.schemas.alerts import AlertArgs
from inventory.schemas.labels import LabelSheetArgs, LotLabelArgs
from inventory.schemas.movements import MovementIn, ScanIn
from inventory.schemas.readiness import ReadinessArgs
from inventory.schemas.reports import ExportArgsIn, OverviewArgs, TrendArgs
from inventory.schemas.stock import StockArgs


@pytest.mark.parametrize("schema", [MovementIn, ScanIn, ReadinessArgs, AlertArgs,
                                    ExportArgsIn, TrendArgs, OverviewArgs,
                                    LabelSheetArgs, LotLabelArgs, StockArgs])
def test_every_input_field_has_a_name(schema):
    assert set(schema().fields) <= set(labels.LABELS["field"])


def test_error_lines_name_fields_in_words_and_skip_whole_form_keys():
    lines = labels.error_lines({"quantity": ["This field is required."],
                                "_schema": ["Nothing fits."], "to_depot_code": ["Bad.", "Worse."]})
    assert lines == ["Quantity: This field is required.", "Nothing fits.",
                     "Transfer to depot: Bad. Worse."]
    assert labels.error_lines({"_": ["Only 3 available."]}) == ["Only 3 available."]
    assert labels.error_lines(["One.", "Two."]) == ["One. Two."]
