"""The commands of contract.md: demo-data, create-user, create-token, verify-ledger, backup."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Balance, Unit, User
from tests.conftest import POSTGRES_URL


def test_demo_data_loads_once_and_prints_logins(runner, app):
    result = runner.invoke(args=["demo-data", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and "demo-password-1" in result.output
    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0 and "already" in again.output
    assert runner.invoke(args=["verify-ledger"]).exit_code == 0


def test_demo_data_if_empty_leaves_a_real_reserve_alone(runner, world):
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0 and "not loaded" in result.output


def test_create_user_reads_the_password_from_stdin(runner, app, world):
    result = runner.invoke(args=["create-user", "clerk", "--role", "keeper", "--unit", "S1",
                                 "--password-stdin"], input="a-long-password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        assert user.unit.code == "S1" and user.role.value == "keeper"


def test_create_user_bad_input_is_a_clear_error(runner, world):
    result = runner.invoke(args=["create-user", "x", "--role", "boss", "--password-stdin"], input="x\n")
    assert result.exit_code == 2 and "boss" in result.output
    result = runner.invoke(args=["create-user", "y", "--role", "keeper", "--unit", "NOPE",
                                 "--password-stdin"], input="long-password\n")
    assert result.exit_code == 1 and "NOPE" in result.output and "Traceback" not in result.output
    result = runner.invoke(args=["create-user", "keeper", "--role", "keeper", "--password-stdin"],
                           input="long-password\n")
    assert result.exit_code == 1 and "keeper" in result.output


def test_create_token_prints_only_the_token(runner, client, world):
    result = runner.invoke(args=["create-token", "keeper"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert "\n" not in token and token.startswith("inv_")
    assert client.get("/api/v1/stock", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_verify_ledger_exits_1_and_lists_differences(runner, app, world):
    assert runner.invoke(args=["verify-ledger"]).exit_code == 0
    with app.app_context():
        db.session.execute(sa.update(Balance).values(quantity=Balance.quantity + 1))
        db.session.commit()
    result = runner.invoke(args=["verify-ledger"])
    assert result.exit_code == 1 and "differ" in result.output
    # by the codes people know, not database ids
    assert "lot=T1 depot=DEP-D1 owner=D1 balance=101 ledger=100" in result.output


def test_demo_data_books_its_four_levels_at_the_configured_tiers(make_app):
    app = make_app(TIERS=["province", "prefecture", "county", "township", "village"])
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tiers = dict(db.session.execute(sa.select(Unit.code, Unit.tier)).all())
    assert (tiers["150600"], tiers["150603"], tiers["150603001"], tiers["150603001001"]) == (
        "province", "prefecture", "county", "township")
    default = make_app(TIERS=["province", "city", "district", "street", "community"])
    assert default.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    with default.app_context():
        assert db.session.scalar(sa.select(Unit.tier).where(Unit.code == "150600")) == "city"


def test_demo_data_refuses_fewer_tiers_than_its_story_needs(make_app):
    app = make_app(TIERS=["county", "township", "village"])
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo-data"])
    assert refused.exit_code == 1 and "INVENTORY_TIERS" in refused.output
    assert "county, township, village" in refused.output and "Traceback" not in refused.output
    started = runner.invoke(args=["demo-data", "--if-empty"])  # scripts/run still starts
    assert started.exit_code == 0 and "admin" in started.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_export_and_import_stock_round_trip_and_bad_files_exit_non_zero(runner, app, world, tmp_path):
    import pandas as pd

    target = tmp_path / "stock.xlsx"
    result = runner.invoke(args=["export", "stock", str(target)])
    assert result.exit_code == 0, result.output
    assert set(pd.read_excel(target)["批次编码"]) == {"T1", "Q1", "T2"}
    bad = tmp_path / "bad.csv"
    bad.write_text("物资编码,储备库编码,数量\n1020101,DEP-S1,3\n1020101,NOPE,x\n", encoding="utf-8")
    refused = runner.invoke(args=["import-stock", str(bad)])
    assert refused.exit_code == 1
    assert "row 3" in refused.output and "NOPE" in refused.output
    good = tmp_path / "good.csv"
    good.write_text("物资编码,储备库编码,数量\n1020101,DEP-S1,3\n", encoding="utf-8")
    assert runner.invoke(args=["import-stock", str(good)]).exit_code == 0
    assert runner.invoke(args=["export", "nothing", str(target)]).exit_code == 2
    assert runner.invoke(args=["export", "ledger", str(tmp_path / "x.pdf")]).exit_code == 2
def test_check_alerts_evaluates_and_snapshots_idempotently(runner, world):
    from inventory.extensions import db
    from inventory.models import Alert, ReadinessSnapshot
    import sqlalchemy as sa

    first = runner.invoke(args=["check-alerts"])
    assert first.exit_code == 0, first.output
    assert "Readiness snapshots: 6" in first.output
    with runner.app.app_context():
        alerts_before = db.session.scalar(sa.select(sa.func.count(Alert.id)))
    second = runner.invoke(args=["check-alerts"])
    assert "0 new" in second.output
    with runner.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Alert.id))) == alerts_before > 0
        assert db.session.scalar(sa.select(sa.func.count(ReadinessSnapshot.id))) == 6


def test_export_takes_stale_days_and_refuses_bad_values_without_a_traceback(runner, app, world,
                                                                            tmp_path):
    import pandas as pd

    from inventory.models import Movement, utcnow

    with app.app_context():
        db.session.execute(sa.update(Movement).values(created_at=utcnow() - timedelta(days=10)))
        db.session.commit()
    target = tmp_path / "completeness.xlsx"

    def status_of_dep_d1(*extra):
        result = runner.invoke(args=["export", "completeness", str(target), *extra])
        assert result.exit_code == 0, result.output
        frame = pd.read_excel(target, dtype=str)
        return frame.loc[frame["储备库编码"] == "DEP-D1", "状态"].item()

    assert status_of_dep_d1() == "正常"
    assert status_of_dep_d1("--stale-days", "5") == "长期未更新"
    for bad in (["--stale-days", "0"], ["--stale-days", "x"], ["--until", "9999-12-31"],
                ["--since", "2026-02-30"], ["--since", "2026-05-02", "--until", "2026-05-01"]):
        result = runner.invoke(args=["export", "ledger", str(tmp_path / "l.csv"), *bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "Traceback" not in result.output and bad[-2].lstrip("-").split("-")[0] in result.output


def test_import_of_a_file_above_the_row_limit_says_the_limit(world_app, tmp_path):
    import pandas as pd

    app = world_app(IMPORT_MAX_ROWS=1)
    target = tmp_path / "stock.csv"
    pd.DataFrame([["1020101", "DEP-S1", "1"]] * 2,
                 columns=["物资编码", "储备库编码", "数量"]).to_csv(target, index=False)
    result = app.test_cli_runner().invoke(args=["import-stock", str(target)])
    assert result.exit_code == 1 and "超过 1 行" in result.output
    assert "%(n)s" not in result.output
# --- bad arguments: a clear message naming the argument, never a traceback ---------------

def _refused(result, *names):
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception)  # a refusal, not a crash
    assert "Traceback" not in result.output and "password_hash" not in result.output
    for name in names:
        assert name in result.output, result.output


def test_create_user_validates_like_the_form(runner, app, world):
    _refused(runner.invoke(args=["create-user", "bad name!", "--role", "keeper",
                                 "--password-stdin"], input="long-enough-pw\n"), "USERNAME")
    _refused(runner.invoke(args=["create-user", "x" * 300, "--role", "keeper",
                                 "--password-stdin"], input="long-enough-pw\n"), "USERNAME")
    _refused(runner.invoke(args=["create-user", "longname", "--role", "keeper",
                                 "--display-name", "名" * 300, "--password-stdin"],
                           input="long-enough-pw\n"), "--display-name")
    _refused(runner.invoke(args=["create-user", "badunit", "--role", "keeper", "--unit", "a b",
                                 "--password-stdin"], input="long-enough-pw\n"), "--unit")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 6  # the world's


def test_create_token_validates_its_name(runner, app, world):
    _refused(runner.invoke(args=["create-token", "keeper", "--name", "n" * 300]), "--name")
    _refused(runner.invoke(args=["create-token", "x" * 300]))
    assert runner.invoke(args=["create-token", "keeper", "--name", "scanner"]).exit_code == 0


def test_export_to_an_unwritable_file_names_it(runner, world, tmp_path):
    for target in ("/proc/x.csv", str(tmp_path / "no-such-folder" / "x.csv")):
        _refused(runner.invoke(args=["export", "stock", target]), "FILE", target)


@pytest.mark.sqlite_only
def test_backup_to_an_unwritable_file_names_it(world_app, tmp_path):
    if POSTGRES_URL:
        pytest.skip("SQLite file backup")
    app = world_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    runner = app.test_cli_runner()
    for target in ("/proc/x.db", str(tmp_path)):  # a folder it cannot create; a folder
        _refused(runner.invoke(args=["backup", target]), "FILE", target)
    assert runner.invoke(args=["backup", str(tmp_path / "copy.sqlite")]).exit_code == 0
