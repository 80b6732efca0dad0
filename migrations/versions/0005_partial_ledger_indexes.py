"""partial ledger indexes: movement's from/to depot, order code and approval only where set

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:10:00.000000

Most ledger rows have NULL in these four columns, and every booking wrote a NULL entry
into each index. Lookups by them use =, IN or IS NOT NULL, which imply the index
condition, so the planners still use the partial indexes. Alembic's autogenerate does not
compare index conditions: this revision is written by hand, and tests/test_migrations.py
checks the indexes are partial after `upgrade head` and full again after the downgrade.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = ('from_depot_id', 'to_depot_id', 'order_code', 'approves_id')


def upgrade():
    for column in COLUMNS:
        op.drop_index(f'ix_movement_{column}', table_name='movement')
        where = sa.text(f'{column} IS NOT NULL')
        op.create_index(f'ix_movement_{column}', 'movement', [column], unique=False,
                        sqlite_where=where, postgresql_where=where)


def downgrade():
    for column in COLUMNS:
        op.drop_index(f'ix_movement_{column}', table_name='movement')
        op.create_index(f'ix_movement_{column}', 'movement', [column], unique=False)
