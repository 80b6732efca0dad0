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
    # The page asked for, when it lay past the last one and the last page is shown instead.
    requested: int | None = None

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    def as_asked(self) -> Page[T]:
        """The page as asked for: past the last one, an empty page of that number."""
        if self.requested is None:
            return self
        return Page(items=[], page=self.requested, per_page=self.per_page, total=self.total)


def paginate(session: Session, stmt: sa.Select, *, page: int = 1,
             per_page: int = DEFAULT_PER_PAGE, scalars: bool = True) -> Page[Any]:
    """Run `stmt` for one page (1-based); `per_page` is capped at MAX_PER_PAGE. A page past
    the last one gets the last page, with the page asked for in `requested` (the API
    answers such a page as an empty one: `Page.as_asked`).

    Items are the first column's values (model objects) or, with `scalars=False`, the rows
    as read-only mappings of column labels (what a schema dumps fastest: no attribute
    lookups that fail first).
    """
    page = max(int(page), 1)
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    total = session.scalar(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).options().subquery())) or 0
    last = max((int(total) + per_page - 1) // per_page, 1)
    requested, page = (page, last) if page > last else (None, page)
    paged = stmt.limit(per_page).offset((page - 1) * per_page)
    result = session.scalars(paged) if scalars else session.execute(paged).mappings()
    return Page(items=list(result.unique() if scalars else result), page=page,
                per_page=per_page, total=int(total), requested=requested)
