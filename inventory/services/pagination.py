"""One page of a select(): the items, the page asked for and the total."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def paginate(session: Session, stmt: sa.Select, *, page: int = 1,
             per_page: int = DEFAULT_PER_PAGE, scalars: bool = True) -> Page[Any]:
    """Run `stmt` for one page (1-based); `per_page` is capped at MAX_PER_PAGE.

    Items are the first column's values (model objects) or, with `scalars=False`, the rows
    as read-only mappings of column labels (what a schema dumps fastest: no attribute
    lookups that fail first).
    """
    page = max(int(page), 1)
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    total = session.scalar(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).options().subquery())) or 0
    paged = stmt.limit(per_page).offset((page - 1) * per_page)
    result = session.scalars(paged) if scalars else session.execute(paged).mappings()
    return Page(items=list(result.unique() if scalars else result), page=page,
                per_page=per_page, total=int(total))
