"""Users, passwords, API tokens, failed-login throttling and the audit record."""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from werkzeug.security import check_password_hash, generate_password_hash

from inventory.models import (Agreement, ApiToken, AuditEvent, Depot, DisasterEvent, Role, Unit,
                              User)
from inventory.services import access
from inventory.services.errors import N_, NotFound, Throttled, field_error
from inventory.services.queries import in_subtree

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "inv_"
# A real hash to compare against when the user does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def audit(session: Session, *, action: str, now: datetime, actor: User | None = None,
          subject: str = "", detail: str = "", remote_addr: str = "") -> AuditEvent:
    """Append an audit record (logins, role changes, administrative edits)."""
    event = AuditEvent(action=action, at=now, actor_id=actor.id if actor else None,
                       subject=subject[:200], detail=detail, remote_addr=remote_addr[:64])
    session.add(event)
    return event


def audit_query(session: Session, *, viewer: User | None = None, action: str = "", who: str = "",
                q: str = "", since: datetime | None = None,
                until: datetime | None = None) -> sa.Select:
    """Audit records, newest first: `action` is a prefix ("user." or "login"), `who` a user
    name matching the actor or the subject, `q` text in the subject or detail, and
    [since, until) a time range. A scoped `viewer` sees only its area (`area_events`)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if viewer is not None and access.scope_path(viewer) is not None:
        stmt = stmt.where(area_events(access.scope_path(viewer)))
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if who:
        actor_ids = sa.select(User.id).where(User.username == who)
        stmt = stmt.where(sa.or_(AuditEvent.actor_id.in_(actor_ids),
                                 AuditEvent.subject == f"user:{who}"))
    if q:
        stmt = stmt.where(sa.or_(AuditEvent.subject.contains(q, autoescape=True),
                                 AuditEvent.detail.contains(q, autoescape=True)))
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    return stmt


def area_events(path: str) -> sa.ColumnElement[bool]:
    """Audit records that belong to the area with unit path `path`: done by one of its
    users, or about one of its users, units, depots, events or agreements."""
    def subjects(prefix: str, code, *where):
        return sa.select(sa.literal(prefix) + code).where(*where)

    area_units = sa.select(Unit.id).where(in_subtree(path))
    about = sa.union_all(
        subjects("user:", User.username, User.unit_id.in_(area_units)),
        subjects("unit:", Unit.code, in_subtree(path)),
        subjects("depot:", Depot.code, Depot.unit_id.in_(area_units)),
        subjects("event:", DisasterEvent.code, DisasterEvent.unit_id.in_(area_units)),
        subjects("agreement:", Agreement.code, Agreement.owner_id.in_(area_units)))
    actors = sa.select(User.id).where(User.unit_id.in_(area_units))
    return sa.or_(AuditEvent.actor_id.in_(actors), AuditEvent.subject.in_(about))


def describe_changes(obj: object, fields: dict[str, Any]) -> str:
    """'field old->new; ...' for the fields whose value differs (for audit details)."""
    changes = []
    for key, value in fields.items():
        old = getattr(obj, key, None)
        old_text = getattr(old, "code", old)
        new_text = getattr(value, "code", value)
        if old_text != new_text and str(old_text) != str(new_text):
            changes.append(f"{key} {old_text}->{new_text}")
    return "; ".join(changes)


def get_user(session: Session, username: str, *, actor: User | None = None) -> User:
    """The user with this name; raises NotFound, or Forbidden when `actor` is given and
    may not administer the user (`access.require_user`)."""
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NotFound(N_("User %(name)s not found."), name=username)
    return access.require_user(actor, user) if actor is not None else user


def user_query(session: Session, *, actor: User, q: str = "") -> sa.Select:
    """Users `actor` may administer, by name; `q` matches the user name or display name."""
    stmt = sa.select(User).where(access.user_filter(actor)).order_by(User.username)
    if q:
        stmt = stmt.where(sa.or_(User.username.icontains(q, autoescape=True),
                                 User.display_name.icontains(q, autoescape=True)))
    return stmt


def check_password(password: str) -> None:
    """Raise InvalidInput when a password is too short to be safe."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise field_error("password", N_("The password needs at least %(n)s characters."),
                          n=MIN_PASSWORD_LENGTH)


def create_user(session: Session, *, username: str, password: str, role: Role,
                unit: Unit | None, now: datetime, display_name: str = "",
                actor: User | None = None) -> User:
    """Add a user; raises InvalidInput for a taken name or a weak password."""
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise field_error("username", N_("User name %(name)s is already taken."), name=username)
    check_password(password)
    user = User(username=username, display_name=display_name or username, role=role, unit=unit,
                password_hash=generate_password_hash(password), created_at=now)
    session.add(user)
    session.flush()
    audit(session, action="user.create", actor=actor, subject=f"user:{username}", now=now,
          detail=f"role={role.value} unit={unit.code if unit else '-'}")
    return user


def update_user(session: Session, user: User, *, actor: User | None, now: datetime,
                role: Role | None = None, unit: Unit | None | bool = False,
                display_name: str | None = None, is_active: bool | None = None,
                password: str | None = None) -> User:
    """Edit a user; every change is audited (role, scope, activation, password, name).

    Changing role, scope, password or activation ends the user's other sessions. A given
    `actor` must be allowed to administer `user` (`access.require_user`), else Forbidden.
    """
    if actor is not None:
        access.require_user(actor, user)
    changes = []
    if role is not None and role != user.role:
        changes.append(f"role {user.role.value}->{role.value}")
        user.role = role
    if unit is not False and unit is not user.unit:
        changes.append(f"unit {user.unit.code if user.unit else '-'}->{unit.code if unit else '-'}")
        user.unit = unit
    if is_active is not None and is_active != user.is_active_user:
        changes.append("activated" if is_active else "deactivated")
        user.is_active_user = is_active
    if password:
        check_password(password)
        user.password_hash = generate_password_hash(password)
        changes.append("password reset")
    if changes:
        user.session_version += 1
        token_cache.forget(user_id=user.id)
    if display_name is not None and display_name != user.display_name:
        changes.append(f"display name {user.display_name}->{display_name}")
        user.display_name = display_name
    if changes:
        audit(session, action="user.update", actor=actor, subject=f"user:{user.username}",
              detail="; ".join(changes), now=now)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str, now: datetime,
                 remote_addr: str, max_failures: int, window_seconds: int) -> User | None:
    """The user if the password is right; audits the attempt; raises Throttled when locked.

    Failures are counted per user name and per address over a sliding window, in the
    database, so every worker process sees the same count.
    """
    since = now - timedelta(seconds=window_seconds)
    if _recent_failures(session, username, remote_addr, since) >= max_failures:
        audit(session, action="login.throttled", subject=f"user:{username}", now=now,
              remote_addr=remote_addr)
        raise Throttled(N_("Too many failed sign-ins. Wait %(minutes)s minutes and try again."),
                        minutes=max(window_seconds // 60, 1))
    user = session.scalar(sa.select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if not (user and valid and user.is_active):
        audit(session, action="login.failed", subject=f"user:{username}", now=now,
              remote_addr=remote_addr)
        return None
    user.last_login_at = now
    audit(session, action="login", actor=user, subject=f"user:{username}", now=now,
          remote_addr=remote_addr)
    return user


def _recent_failures(session: Session, username: str, remote_addr: str, since: datetime) -> int:
    last_success = sa.select(sa.func.max(AuditEvent.at)).where(
        AuditEvent.action == "login", AuditEvent.subject == f"user:{username}").scalar_subquery()
    by_user = session.scalar(sa.select(sa.func.count()).where(
        AuditEvent.action == "login.failed", AuditEvent.subject == f"user:{username}",
        AuditEvent.at >= since, AuditEvent.at > sa.func.coalesce(last_success, since)))
    by_addr = session.scalar(sa.select(sa.func.count()).where(
        AuditEvent.action == "login.failed", AuditEvent.remote_addr == remote_addr,
        AuditEvent.at >= since)) if remote_addr else 0
    # An address may mistype several accounts; give it a wider allowance than one account.
    return max(by_user or 0, (by_addr or 0) // 4)


def verify_password(user: User, password: str) -> bool:
    """True when `password` is the user's current password."""
    return check_password_hash(user.password_hash, password or "")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, user: User, now: datetime, name: str = "",
                 actor: User | None = None) -> str:
    """Issue a bearer token for `user`; only its hash is stored, the token is returned once.
    A given `actor` must be allowed to administer `user` (`access.require_user`)."""
    if actor is not None:
        access.require_user(actor, user)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, name=name, token_hash=hash_token(token), prefix=token[:12],
                         created_at=now))
    audit(session, action="token.create", actor=actor, subject=f"user:{user.username}", now=now,
          detail=name)
    session.flush()
    return token


class TokenCache:
    """What bearer tokens resolved to, kept for a few seconds in this process.

    A scanner sends its token with every booking; looking it up costs about as much as
    the booking's own statements. Entries hold detached copies of the user and their
    unit (never an object of some request's session) and expire `seconds` after they
    were read. Revoking a token or changing a user (role, scope, activation, password)
    through this module forgets the entries at once in this process; other worker
    processes notice within `seconds`.
    """

    def __init__(self, size: int = 1024, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, User]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token_hash: str) -> User | None:
        with self._lock:
            entry = self._entries.get(token_hash)
            if entry is None or entry[0] <= self.clock():
                self._entries.pop(token_hash, None)
                return None
            return entry[1]

    def put(self, token_hash: str, user: User, seconds: float) -> None:
        with self._lock:
            self._entries[token_hash] = (self.clock() + seconds, _detached_copy(user))
            self._entries.move_to_end(token_hash)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, *, token_hash: str | None = None, user_id: int | None = None) -> None:
        with self._lock:
            for key in [key for key, (_, user) in self._entries.items()
                        if key == token_hash or user.id == user_id]:
                del self._entries[key]


def _detached_copy(obj):
    """A clean, detached copy of a loaded User or Unit, safe to share between sessions."""
    mapper = sa.inspect(type(obj))
    copy = type(obj)(**{attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs})
    if isinstance(obj, User):
        copy.unit = _detached_copy(obj.unit) if obj.unit is not None else None
    make_transient_to_detached(copy)
    return copy


token_cache = TokenCache()

_TOKEN_USER = (sa.select(User).join(ApiToken, ApiToken.user_id == User.id)
               .where(ApiToken.token_hash == sa.bindparam("token_hash"),
                      ApiToken.revoked_at.is_(None))
               .options(joinedload(User.unit)))


def user_for_token(session: Session, token: str, *, cache_seconds: float = 0) -> User | None:
    """The active user owning a valid, unrevoked token, or None.

    With `cache_seconds` the answer may come from `token_cache` (see there for how soon a
    revocation takes effect); the user returned always belongs to `session`.
    """
    if not token.startswith(TOKEN_PREFIX):
        return None
    token_hash = hash_token(token)
    cached = token_cache.get(token_hash) if cache_seconds > 0 else None
    if cached is not None:
        # No SQL: copies the cached state into the session (or finds the user already there).
        return session.merge(cached, load=False)
    user = session.scalar(_TOKEN_USER, {"token_hash": token_hash})
    if user is None or not user.is_active:
        return None
    if cache_seconds > 0:
        token_cache.put(token_hash, user, cache_seconds)
    return user


def revoke_token(session: Session, *, token_id: int, actor: User | None,
                 now: datetime) -> ApiToken:
    """Revoke a token (it stays listed, marked revoked). A given `actor` must be allowed to
    administer the token's user (`access.require_user`), else Forbidden."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(N_("Token not found."))
    if actor is not None:
        access.require_user(actor, row.user)
    row.revoked_at = now
    token_cache.forget(token_hash=row.token_hash)
    audit(session, action="token.revoke", actor=actor, subject=f"user:{row.user.username}",
          detail=row.prefix, now=now)
    session.flush()
    return row
