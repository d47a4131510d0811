"""Documents on one lifecycle: quotes, partial deliveries and invoices, direct invoices and
bills with an account per line, credit notes and debit notes.

- `trade_order`: `valid_until` (quotes, kind 'quote', QT-), `quote_id` (the quote an order
  was accepted from), `deal_id` (the deal a quote belongs to);
- `order_line.account_id`, `invoice_line.account_id`: the income or expense account a line
  posts to (none: the role's account, e.g. Services, or Other expenses on a bill);
- `invoice_line.order_line_id`: the order line an invoice line invoices (partial invoices);
  `invoice_line.credited_line_id`: the invoice line a credit/debit note line credits;
- `invoice.credited`: the sum of the live credit (debit) notes against an invoice (bill);
  `invoice.credits_id`: the invoice a note credits; `invoice.with_return`: the note takes
  the goods back;
- the account with code 7900 (Other expenses, the default chart) takes the new role
  `expenses` when no account has it: where a bill's service line goes by default.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _fk(name: str, target: str) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{target}.id"), nullable=True)


_COLUMNS = {
    "trade_order": [lambda: sa.Column("valid_until", sa.Date, nullable=True),
                    lambda: _fk("quote_id", "trade_order"), lambda: _fk("deal_id", "deal")],
    "order_line": [lambda: _fk("account_id", "account")],
    "invoice_line": [lambda: _fk("account_id", "account"),
                     lambda: _fk("order_line_id", "order_line"),
                     lambda: _fk("credited_line_id", "invoice_line")],
    "invoice": [lambda: sa.Column("credited", sa.BigInteger, nullable=False,
                                  server_default="0"),
                lambda: _fk("credits_id", "invoice"),
                lambda: sa.Column("with_return", sa.Boolean, nullable=False,
                                  server_default=sa.false())],
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in _COLUMNS.items():
        for make in columns:
            column = make()
            fks = list(column.foreign_keys)
            if sqlite and fks:  # SQLite adds a column with REFERENCES, not a constraint
                target = fks[0].target_fullname.replace(".", "(") + ")"
                op.execute(f"ALTER TABLE {table} ADD COLUMN {column.name} INTEGER "
                           f"REFERENCES {target}")
            else:
                op.add_column(table, column)
    # the invoices and bills issued so far invoiced their order's lines whole
    op.execute("UPDATE invoice_line SET order_line_id = (SELECT ol.id FROM order_line ol "
               "JOIN invoice i ON i.order_id = ol.order_id WHERE i.id = invoice_line.invoice_id "
               "AND ol.position = invoice_line.position) WHERE order_line_id IS NULL")
    op.create_index("ix_invoice_credits", "invoice", ["credits_id"])
    op.create_index("ix_invoice_line_order_line", "invoice_line", ["order_line_id"])
    op.create_index("ix_trade_order_quote", "trade_order", ["quote_id"])
    op.execute("UPDATE account SET role = 'expenses' WHERE code = '7900' AND type = 'expense' "
               "AND role IS NULL AND NOT EXISTS (SELECT 1 FROM account a "
               "WHERE a.role = 'expenses')")


def downgrade() -> None:
    op.execute("UPDATE account SET role = NULL WHERE role = 'expenses'")
    op.drop_index("ix_trade_order_quote", table_name="trade_order")
    op.drop_index("ix_invoice_line_order_line", table_name="invoice_line")
    op.drop_index("ix_invoice_credits", table_name="invoice")
    for table, columns in reversed(_COLUMNS.items()):
        for column in reversed(columns):  # SQLite 3.35+ drops a column without a constraint
            op.drop_column(table, column().name)
