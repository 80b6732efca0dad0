"""queries.text_search: a user's search text matched as typed, LIKE wildcards included."""
import sqlalchemy as sa

from inventory.models import Item
from inventory.services.queries import text_search
from tests import factories


def codes(session, typed: str) -> list[str]:
    return list(session.scalars(sa.select(Item.code).where(
        text_search(typed, Item.name, Item.code)).order_by(Item.code)))


def test_wildcards_and_the_escape_character_match_only_themselves(session):
    for code, name in [("A1", "Cotton 100% pure"), ("A2", "Cotton 1000 pure"),
                       ("A3", "snake_case"), ("A4", "snakeXcase"), ("A5", "back\\slash")]:
        factories.make_item(session, code, name=name)
    session.flush()
    assert codes(session, "100%") == ["A1"]
    assert codes(session, "%") == ["A1"]
    assert codes(session, "e_c") == ["A3"]
    assert codes(session, "_") == ["A3"]
    assert codes(session, "\\") == ["A5"]
    assert codes(session, "k\\s") == ["A5"]
    assert codes(session, "  COTTON ") == ["A1", "A2"]  # trimmed, any case
