"""create shelves, with an index on a column that does not exist

Revision ID: 5e6f7a8b9c01
Revises:
Create Date: 2026-11-12 12:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "5e6f7a8b9c01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("shelves", sa.Column("id", sa.Integer, primary_key=True))
    op.create_index("ix_shelves_label", "shelves", ["label"])


def downgrade():
    op.drop_table("shelves")
