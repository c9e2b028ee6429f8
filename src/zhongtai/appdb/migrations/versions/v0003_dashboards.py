"""Dashboards users build, save and share (layout JSON, default filters, shares, version counter).

Revision ID: v0003_dashboards
Revises: v0002_alerts
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0003_dashboards"
down_revision: str | None = "v0002_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("everyone", sa.Boolean(), nullable=False),
        sa.Column("template", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_dashboards_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboards")),
    )
    op.create_index(op.f("ix_dashboards_owner_id"), "dashboards", ["owner_id"])
    op.create_table(
        "dashboard_shares",
        sa.Column("dashboard_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("access", sa.String(8), nullable=False),
        sa.CheckConstraint("access IN ('view', 'edit')", name=op.f("ck_dashboard_shares_access")),
        sa.ForeignKeyConstraint(
            ["dashboard_id"], ["dashboards.id"], name=op.f("fk_dashboard_shares_dashboard_id_dashboards")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_dashboard_shares_user_id_users")),
        sa.PrimaryKeyConstraint("dashboard_id", "user_id", name=op.f("pk_dashboard_shares")),
    )
    op.create_index(op.f("ix_dashboard_shares_user_id"), "dashboard_shares", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dashboard_shares_user_id"), table_name="dashboard_shares")
    op.drop_table("dashboard_shares")
    op.drop_index(op.f("ix_dashboards_owner_id"), table_name="dashboards")
    op.drop_table("dashboards")
