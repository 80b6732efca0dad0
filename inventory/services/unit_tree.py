"""The unit tree as a page shows it: a few levels at a time below a chosen unit, and a search.

A province-wide reserve has thousands of communities; the page shows `LEVELS` tiers below
its root and marks the units whose children it leaves out, so each step stays small.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Unit, User
from inventory.services import access
from inventory.services.queries import in_subtree

LEVELS = 3


@dataclass
class TreeView:
    units: list[Unit]                 # in tree order
    root: Unit | None                 # None: the user's whole area
    ancestors: list[Unit] = field(default_factory=list)  # of the root, inside the area
    cut: set[int] = field(default_factory=set)  # ids of shown units whose children are not


def _slashes(column=Unit.path) -> sa.ColumnElement[int]:
    """The number of '/' in a path: a root unit ('/1/') has 2, its children 3, …"""
    return sa.func.length(column) - sa.func.length(sa.func.replace(column, "/", ""))


def tree_view(session: Session, user: User, *, root: Unit | None = None,
              levels: int = LEVELS) -> TreeView:
    """`levels` tiers of the tree from `root` (which must lie in the user's area; Forbidden
    otherwise), or from the top of the user's area."""
    area = access.unit_filter(user)
    if root is not None:
        access.require_unit(user, root)
        where, top = in_subtree(root.path), root.path.count("/")
    else:
        scope = access.scope_path(user)
        where, top = sa.true(), scope.count("/") if scope else 2
    deepest = top + levels - 1
    units = list(session.scalars(sa.select(Unit).where(area, where, _slashes() <= deepest)
                                 .order_by(Unit.path)))
    cut = set(session.scalars(sa.select(Unit.parent_id).distinct().where(
        area, where, _slashes() == deepest + 1)))
    ancestors = []
    if root is not None:
        ids = [int(part) for part in root.path.strip("/").split("/")[:-1]]
        ancestors = list(session.scalars(sa.select(Unit).where(area, Unit.id.in_(ids))
                                         .order_by(Unit.path)))
    return TreeView(units=units, root=root, ancestors=ancestors, cut=cut)


def search(user: User, q: str) -> sa.Select:
    """Units of the user's area whose code or name contains `q`, in tree order."""
    return (sa.select(Unit).where(access.unit_filter(user), sa.or_(
        Unit.code.icontains(q, autoescape=True), Unit.name.icontains(q, autoescape=True)))
        .order_by(Unit.path))
