"""Schema-driven fuzzing of /api/v1 with schemathesis, in-process through the WSGI app.

Every operation of the OpenAPI document (new ones included, as they are documented) gets
generated valid and invalid requests with a valid bearer token. The app must never
answer 5xx, and every response must match the document: status codes, content types,
headers and bodies. `positive_data_acceptance` is left out on purpose: a schema cannot
say that a tier must be one of the configured tiers, that a code must exist, or that a
scanned text must be one of our labels, so a schema-valid request may rightly get a 422
or 404.

Examples per operation: INVENTORY_FUZZ_EXAMPLES (default 60; the scoped run uses a third).
"""
import os
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from inventory import create_app
from inventory.extensions import db
from inventory.models import ApiToken, utcnow
from inventory.services import users

pytestmark = pytest.mark.slow

TOKEN = "inv_schemathesis-fuzzing-token-0000000000"
EXAMPLES = int(os.environ.get("INVENTORY_FUZZ_EXAMPLES", "60"))

# The document depends on the routes only, so it is read once from an app without data.
_spec_app = create_app({"TESTING": True, "SECRET_KEY": "spec", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "INSTANCE_PATH": os.path.join(tempfile.gettempdir(), "inventory-fuzz")})
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", _spec_app,
    config=schemathesis.Config.from_dict({"auth": {"openapi": {"bearer": {"bearer": TOKEN}}}}))

FUZZ_SETTINGS = dict(deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))


def _app_with_token(app, username: str):
    """The world's app, with TOKEN (the one schemathesis sends) belonging to `username`."""
    with app.app_context():
        db.session.add(ApiToken(user=users.get_user(db.session, username), name="fuzz",
                                token_hash=users.hash_token(TOKEN), prefix=TOKEN[:12],
                                created_at=utcnow()))
        db.session.commit()
    return app


@pytest.fixture
def admin_app(app, world):
    return _app_with_token(app, "admin")


@pytest.fixture
def scoped_app(app, world):
    return _app_with_token(app, "bureau")  # every permission but users, limited to D1


@schema.parametrize()
@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
def test_api_as_admin_never_fails_and_matches_the_document(case, admin_app):
    case.call_and_validate(app=admin_app, excluded_checks=[positive_data_acceptance])


@schema.parametrize()
@settings(max_examples=max(EXAMPLES // 3, 5), **FUZZ_SETTINGS)
def test_api_as_a_scoped_user_never_fails_and_matches_the_document(case, scoped_app):
    case.call_and_validate(app=scoped_app, excluded_checks=[positive_data_acceptance])
