"""Who may do what, and where: the one place roles and unit scopes are checked.

A user with a unit acts on that unit's subtree; a user without one acts everywhere.
Views guard with `web.auth.permission_required`; services that resolve a depot or unit
for an actor call `require_unit` / `require_depot` so the API and the pages share one rule.
"""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Depot, Role, Unit, User
from inventory.services.errors import N_, Forbidden
from inventory.services.queries import in_subtree


class Permission(enum.StrEnum):
    VIEW = "view"
    BOOK_STOCK = "book_stock"          # receive, issue, transfer, count, loss, scrap
    APPROVE_STOCK = "approve_stock"    # reversal, write-off (核销)
    MANAGE_CATALOGUE = "manage_catalogue"  # items, norms, units, depots, partners, agreements
    DISPATCH = "dispatch"              # events, requests, orders
    APPROVE_DISPATCH = "approve_dispatch"
    MANAGE_USERS = "manage_users"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.BUREAU: frozenset(Permission) - {Permission.MANAGE_USERS},
    Role.DISPATCHER: frozenset({Permission.VIEW, Permission.DISPATCH, Permission.BOOK_STOCK}),
    Role.KEEPER: frozenset({Permission.VIEW, Permission.BOOK_STOCK}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}


def can(user: User | None, permission: Permission) -> bool:
    """True when the user's role grants the permission (scope is checked separately)."""
    return bool(user) and user.is_active and permission in ROLE_PERMISSIONS[user.role]


def require(user: User | None, permission: Permission) -> None:
    """Raise Forbidden unless the user's role grants `permission`."""
    if not can(user, permission):
        raise Forbidden(N_("Your role does not allow this."))


def scope_path(user: User) -> str | None:
    """Materialised path of the user's scope unit, or None for an unscoped user."""
    return user.unit.path if user.unit_id is not None and user.unit else None


def in_scope(user: User, unit: Unit) -> bool:
    """True when `unit` lies in the user's subtree."""
    path = scope_path(user)
    return path is None or unit.path.startswith(path)


def require_unit(user: User, unit: Unit) -> Unit:
    """Return `unit` if it is in the user's scope, else raise Forbidden."""
    if not in_scope(user, unit):
        raise Forbidden(N_("Unit %(code)s is outside your area."), code=unit.code)
    return unit


def require_depot(user: User, depot: Depot) -> Depot:
    """Return `depot` if it belongs to a unit in the user's scope, else raise Forbidden."""
    if not in_scope(user, depot.unit):
        raise Forbidden(N_("Depot %(code)s is outside your area."), code=depot.code)
    return depot


def require_user(actor: User, target: User) -> User:
    """Return `target` if `actor` may administer it, else raise Forbidden.

    A scoped actor reaches only users whose unit lies in its area; a user without a unit
    (acting everywhere) is reachable only by an actor that acts everywhere too.
    """
    if scope_path(actor) is not None and (target.unit is None or not in_scope(actor, target.unit)):
        raise Forbidden(N_("User %(name)s is outside your area."), name=target.username)
    return target


def user_filter(actor: User) -> sa.ColumnElement[bool]:
    """SQL predicate on User limiting rows to the users `actor` may administer."""
    path = scope_path(actor)
    if path is None:
        return sa.true()
    return User.unit_id.in_(sa.select(Unit.id).where(in_subtree(path)))


def unit_filter(user: User, unit_column=Unit.path) -> sa.ColumnElement[bool]:
    """SQL predicate on a Unit.path column limiting rows to the user's subtree."""
    path = scope_path(user)
    return sa.true() if path is None else in_subtree(path, unit_column)


def visible_unit_ids(session: Session, user: User) -> sa.Select:
    """Subquery of the ids of units the user may see."""
    return sa.select(Unit.id).where(unit_filter(user))
