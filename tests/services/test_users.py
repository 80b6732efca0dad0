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
