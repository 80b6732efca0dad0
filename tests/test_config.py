"""Configuration values that are checked when the app starts."""
import pytest

from inventory import create_app
from tests.conftest import base_config


def test_season_setting_is_normalised_and_a_wrong_one_refused(tmp_path):
    assert create_app(base_config(tmp_path))
    app = create_app(base_config(tmp_path, SEASON=" Cold "))
    assert app.config["SEASON"] == "cold"
    assert create_app(base_config(tmp_path)).config["SEASON"] == "auto"
    with pytest.raises(ValueError, match="INVENTORY_SEASON"):
        create_app(base_config(tmp_path, SEASON="winter"))
