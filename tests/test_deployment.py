"""What the README and scripts/run promise about configuration and serving."""
import re
from pathlib import Path

from inventory.config import Defaults

ROOT = Path(__file__).resolve().parents[1]
SECONDS_PER_1000_ROWS = 1.5  # measured about 1.1 on a loaded 2-core machine (check + book)


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = [name for name in vars(Defaults) if name.isupper()]
    missing = [name for name in settings if f"`INVENTORY_{name}`" not in readme]
    assert missing == []


def test_gunicorn_gives_a_page_import_of_the_largest_allowed_file_time_to_finish():
    run = (ROOT / "scripts" / "run").read_text(encoding="utf-8")
    timeout = re.search(r'--timeout "\$\{WEB_TIMEOUT:-(\d+)\}"', run)
    assert timeout, "scripts/run must set gunicorn's --timeout"
    step = min(Defaults.IMPORT_PAGE_MAX_ROWS, Defaults.IMPORT_MAX_ROWS) / 1000 * SECONDS_PER_1000_ROWS
    assert int(timeout.group(1)) >= 2 * step  # twice the slowest step, for a busy machine
