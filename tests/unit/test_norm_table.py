"""The default norm table (data/readiness_norms.csv) as the catalogue loads it."""
from decimal import Decimal

from inventory.services.catalog import norm_rows


def test_the_default_norms_keep_their_seasons():
    rows = {row["code"]: row for row in norm_rows()}
    stove, coat, tent = rows["1010201"], rows["1020201"], rows["1010101"]
    assert (stove["per_person"], stove["per_person_cold"]) == (Decimal(0), Decimal("0.333333"))
    assert (coat["per_person"], coat["per_person_cold"]) == (Decimal("0.5"), Decimal("1.0"))
    assert tent["per_person_cold"] is None
