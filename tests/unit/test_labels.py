"""Field names in error messages: every input field of the booking, scan, readiness and
alert forms has a human name, and error text never shows a raw identifier."""
import importlib
import inspect
import pkgutil

import pytest
from marshmallow import Schema

import inventory.schemas
from inventory import labels
from inventory.schemas.alerts import AlertArgs
from inventory.schemas.labels import LabelSheetArgs, LotLabelArgs
from inventory.schemas.movements import MovementIn, ScanIn
from inventory.schemas.readiness import ReadinessArgs
from inventory.schemas.reports import ExportArgsIn, OverviewArgs, TrendArgs
from inventory.schemas.stock import StockArgs


def query_argument_schemas() -> list[type[Schema]]:
    """Every *Args schema: list pages show their errors above the list."""
    found = []
    for module_info in pkgutil.iter_modules(inventory.schemas.__path__):
        module = importlib.import_module(f"inventory.schemas.{module_info.name}")
        found += [cls for name, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, Schema) and cls.__module__ == module.__name__
                  and name.endswith("Args")]
    return found


@pytest.mark.parametrize("schema", sorted(
    {MovementIn, ScanIn, ReadinessArgs, AlertArgs, ExportArgsIn, TrendArgs, OverviewArgs,
     LabelSheetArgs, LotLabelArgs, StockArgs, *query_argument_schemas()},
    key=lambda cls: cls.__name__), ids=lambda cls: cls.__name__)
def test_every_input_field_has_a_name(schema):
    assert set(schema().fields) <= set(labels.LABELS["field"])


def test_error_lines_name_fields_in_words_and_skip_whole_form_keys():
    lines = labels.error_lines({"quantity": ["This field is required."],
                                "_schema": ["Nothing fits."], "to_depot_code": ["Bad.", "Worse."]})
    assert lines == ["Quantity: This field is required.", "Nothing fits.",
                     "Transfer to depot: Bad. Worse."]
    assert labels.error_lines({"_": ["Only 3 available."]}) == ["Only 3 available."]
    assert labels.error_lines(["One.", "Two."]) == ["One. Two."]
