"""A bounded mixed load through gunicorn (benchmarks/load_mix.py): no request fails.

Keepers scan labels and book while the bureau lists stock and reads readiness, all at
once for a few seconds on loopback. The readiness read may only be left out while the
readiness API does not exist on this build.
"""
import pytest

from benchmarks import load_mix
from tests.serving import running_server

pytestmark = pytest.mark.slow

SECONDS, CLIENTS = 8, 4


def test_mixed_load_runs_without_a_single_error(tmp_path, app):
    has_readiness = any(rule.rule == "/api/v1/readiness" for rule in app.url_map.iter_rules())
    with running_server(tmp_path, workers=3) as server:
        report = load_mix.run(server.url, server.token("keeper"), server.token("viewer"),
                              seconds=SECONDS, clients=CLIENTS)
        check = server.flask("verify-ledger")
    print("\n" + report.markdown())
    assert report.errors == []
    expected = set(load_mix.WEIGHTS) - (set() if has_readiness else {"readiness"})
    assert set(report.operations) == expected and set(report.skipped) == set(load_mix.WEIGHTS) - expected
    for operation in report.operations.values():
        assert len(operation.latencies) >= 5, operation.name
        assert max(operation.latencies) < 10, operation.name  # nobody waited out a lock timeout
    assert check.returncode == 0, check.stdout


def test_the_load_generator_refuses_anything_but_loopback():
    with pytest.raises(SystemExit):
        load_mix.check_loopback("http://10.0.0.5:8000")
    load_mix.check_loopback("http://127.0.0.1:8000")
