"""Passwords, throttling and tokens."""
from datetime import timedelta

import pytest

import sqlalchemy as sa

from inventory.models import ApiToken, Role, utcnow
from inventory.services import users
from inventory.services.errors import InvalidInput, Throttled
from tests.factories import PASSWORD


def _auth(session, password, now=None, addr="10.0.0.1", name="keeper"):
    return users.authenticate(session, username=name, password=password, now=now or utcnow(),
                              remote_addr=addr, max_failures=3, window_seconds=600)


def test_right_password_signs_in_and_is_audited(session, world):
    user = _auth(session, PASSWORD)
    assert user is not None and user.last_login_at is not None


def test_wrong_password_fails(session, world):
    assert _auth(session, "wrong-password") is None


def test_repeated_failures_lock_the_account_for_a_while(session, world):
    for _ in range(3):
        assert _auth(session, "wrong-password") is None
    with pytest.raises(Throttled):
        _auth(session, PASSWORD)
    later = utcnow() + timedelta(seconds=700)
    assert _auth(session, PASSWORD, now=later) is not None


def test_short_passwords_are_refused(session, world):
    with pytest.raises(InvalidInput) as raised:
        users.create_user(session, username="shorty", password="abc", role=Role.VIEWER, unit=None,
                          now=utcnow())
    assert "password" in raised.value.errors


def test_tokens_are_stored_hashed_and_can_be_revoked(session, world):
    user = users.get_user(session, "keeper")
    token = users.create_token(session, user=user, now=utcnow())
    assert users.user_for_token(session, token) is user
    stored = [t.token_hash for t in session.scalars(sa.select(ApiToken))]
    assert token not in stored and users.hash_token(token) in stored
    users.revoke_token(session, token_id=session.scalar(sa.select(ApiToken.id)), actor=None,
                       now=utcnow())
    assert users.user_for_token(session, token) is None


def test_changing_role_ends_other_sessions(session, world):
    user = users.get_user(session, "viewer")
    before = user.get_id()
    users.update_user(session, user, actor=None, now=utcnow(), role=Role.KEEPER)
    assert user.get_id() != before


@pytest.fixture
def clock(monkeypatch):
    """A fresh token cache whose clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(users, "token_cache", users.TokenCache(clock=lambda: now[0]))
    return now


def _revoke_elsewhere(session, token):
    """Revoke as another worker process would: in the database, not through this module."""
    session.execute(sa.update(ApiToken).where(ApiToken.token_hash == users.hash_token(token))
                    .values(revoked_at=utcnow()))


def test_a_cached_token_is_answered_until_its_entry_expires(session, world, clock):
    token = users.create_token(session, user=users.get_user(session, "keeper"), now=utcnow())
    assert users.user_for_token(session, token, cache_seconds=5).username == "keeper"
    _revoke_elsewhere(session, token)
    assert users.user_for_token(session, token, cache_seconds=5).username == "keeper"
    clock[0] += 5.1
    assert users.user_for_token(session, token, cache_seconds=5) is None


def test_without_cache_seconds_every_lookup_asks_the_database(session, world, clock):
    token = users.create_token(session, user=users.get_user(session, "keeper"), now=utcnow())
    assert users.user_for_token(session, token, cache_seconds=0) is not None
    _revoke_elsewhere(session, token)
    assert users.user_for_token(session, token, cache_seconds=0) is None


def test_revoking_or_deactivating_here_takes_effect_at_once(session, world, clock):
    keeper, viewer = users.get_user(session, "keeper"), users.get_user(session, "viewer")
    revoked = users.create_token(session, user=keeper, now=utcnow())
    other = users.create_token(session, user=viewer, now=utcnow())
    for token in (revoked, other):
        assert users.user_for_token(session, token, cache_seconds=60) is not None
    users.revoke_token(session, token_id=session.scalar(
        sa.select(ApiToken.id).where(ApiToken.token_hash == users.hash_token(revoked))),
        actor=None, now=utcnow())
    assert users.user_for_token(session, revoked, cache_seconds=60) is None
    users.update_user(session, viewer, actor=None, now=utcnow(), is_active=False)
    assert users.user_for_token(session, other, cache_seconds=60) is None


def test_a_cached_user_belongs_to_the_asking_session_with_its_unit(app, world, clock):
    from inventory.extensions import db

    with app.app_context():
        token = users.create_token(db.session, user=users.get_user(db.session, "keeper"),
                                   now=utcnow())
        db.session.commit()
        users.user_for_token(db.session, token, cache_seconds=60)
        db.session.remove()
    with app.app_context():
        user = users.user_for_token(db.session, token, cache_seconds=60)
        assert user in db.session and user.unit in db.session
        assert user.unit.code == "S1" and user.role is Role.KEEPER
        assert users.get_user(db.session, "keeper") is user
