"""Server-side charts: axis grid labels are distinct whole numbers, whatever the data."""
import re

import pytest

from inventory.charts import Series, _nice_max, bar_chart, line_chart


@pytest.mark.parametrize("value, top", [(0, 4), (1, 4), (4, 4), (5, 8), (9, 20), (150, 200),
                                        (20_000, 20_000), (615_170, 800_000), (101, 200)])
def test_axis_maximum_is_round_with_a_whole_grid_step(value, top):
    assert _nice_max(value) == top


@pytest.mark.parametrize("values", [[0, 0, 0], [0, 1, 0], [3, 1], [5], [7, 2, 0], [37, 150]])
def test_grid_labels_are_distinct_whole_numbers(values):
    for chart in (bar_chart([str(i) for i in range(len(values))], values, title="t"),
                  line_chart([str(i) for i in range(len(values))], [Series("s", values)],
                             title="t")):
        labels = re.findall(r'text-anchor="end" font-size="12" fill="#5a6570">([\d,]+)<', chart)
        numbers = [int(label.replace(",", "")) for label in labels]
        assert len(numbers) == 5 and len(set(numbers)) == 5, labels
        assert numbers[0] == 0 and max(values) <= numbers[-1]
        assert len({b - a for a, b in zip(numbers, numbers[1:])}) == 1  # evenly spaced
