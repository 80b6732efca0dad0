"""The roll-up: the unit's row, its own reserve (本级) and its children add up, on the page,
in the xlsx and in print."""
import io
import re
from datetime import date

import pandas as pd
import sqlalchemy as sa

from inventory.models import Unit
from inventory.services import rollup
from tests import factories
from tests.conftest import login


def test_own_reserve_and_children_add_up_to_the_unit(session, world):
    # District One owns 100 tents itself (DEP-D1); Street One owns 50 quilts.
    factories.receive(session, world.items["quilt"], world.depots["DEP-S2"], 7,
                      owner=world.units["D1"], lot_code="PRE")  # pre-positioned below
    district = session.scalar(sa.select(Unit).where(Unit.code == "D1"))
    rows = rollup.rollup(session, unit=district, today=date.today())
    unit, own, *children = rows
    assert (unit.total, own.own, own.total, own.depots) == (157, True, 107, 1)
    assert [(c.unit.code, c.total) for c in children] == [("S1", 50), ("S2", 0)]
    assert own.total + sum(c.total for c in children) == unit.total
    assert own.depots + sum(c.depots for c in children) == unit.depots
    for category in rollup.CATEGORIES:
        parts = own.by_category.get(category, 0) + sum(c.by_category.get(category, 0)
                                                       for c in children)
        assert parts == unit.by_category.get(category, 0), category


def test_rollup_page_and_xlsx_show_the_own_reserve_row(client, world):
    login(client, "bureau")
    page = client.get("/rollup?unit=D1").get_data(as_text=True)
    body = page.split('id="rollup"')[1]
    own = re.search(r'<tr class="own-row">(.*?)</tr>', body, re.S).group(1)
    assert "本级" in own and "<strong>100</strong>" in own
    frame = pd.read_excel(io.BytesIO(client.get("/rollup.xlsx?unit=D1").data))
    assert list(frame["单位"]) == ["District One", "本级", "Street One", "Street Two"]
    totals = frame["合计件数"]
    assert totals.iloc[0] == 150 and totals.iloc[1:].sum() == 150
    english = client.get("/rollup.xlsx?unit=D1&lang=en")
    assert list(pd.read_excel(io.BytesIO(english.data))["Unit"])[1] == "Own reserve"
