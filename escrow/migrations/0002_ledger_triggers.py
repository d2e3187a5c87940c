"""PostgreSQL guards the ORM cannot bypass: ledger rows are append-only, a transfer's
currency is its accounts' currency, an account never changes owner or currency, and a
decided withdrawal stays decided. SQLite (the embedded default) has no such triggers;
the services and the CHECK constraints still hold there."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION escrow_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'escrow: % on % refused: ledger rows are append-only (post a reversal instead)',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER escrow_journal_append_only BEFORE UPDATE OR DELETE ON escrow_journal
    FOR EACH ROW EXECUTE FUNCTION escrow_ledger_append_only();
CREATE TRIGGER escrow_transfer_append_only BEFORE UPDATE OR DELETE ON escrow_transfer
    FOR EACH ROW EXECUTE FUNCTION escrow_ledger_append_only();

CREATE OR REPLACE FUNCTION escrow_transfer_same_currency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM escrow_account a
        WHERE a.id IN (NEW.debit_id, NEW.credit_id) AND a.balance_currency <> NEW.amount_currency
    ) THEN
        RAISE EXCEPTION 'escrow: a transfer in % between accounts of another currency', NEW.amount_currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER escrow_transfer_same_currency BEFORE INSERT ON escrow_transfer
    FOR EACH ROW EXECUTE FUNCTION escrow_transfer_same_currency();

CREATE OR REPLACE FUNCTION escrow_account_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'escrow: ledger accounts are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.kind IS DISTINCT FROM OLD.kind OR NEW.user_id IS DISTINCT FROM OLD.user_id
        OR NEW.order_id IS DISTINCT FROM OLD.order_id OR NEW.balance_currency IS DISTINCT FROM OLD.balance_currency THEN
        RAISE EXCEPTION 'escrow: a ledger account keeps its kind, owner and currency' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER escrow_account_identity_fixed BEFORE UPDATE OR DELETE ON escrow_account
    FOR EACH ROW EXECUTE FUNCTION escrow_account_identity_fixed();

CREATE OR REPLACE FUNCTION escrow_withdrawal_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'escrow: withdrawals are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status <> 'requested' THEN
        RAISE EXCEPTION 'escrow: withdrawal % was already decided', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER escrow_withdrawal_decided_once BEFORE UPDATE OR DELETE ON escrow_withdrawal
    FOR EACH ROW EXECUTE FUNCTION escrow_withdrawal_decided_once();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS escrow_withdrawal_decided_once ON escrow_withdrawal;
DROP FUNCTION IF EXISTS escrow_withdrawal_decided_once();
DROP TRIGGER IF EXISTS escrow_account_identity_fixed ON escrow_account;
DROP FUNCTION IF EXISTS escrow_account_identity_fixed();
DROP TRIGGER IF EXISTS escrow_transfer_same_currency ON escrow_transfer;
DROP FUNCTION IF EXISTS escrow_transfer_same_currency();
DROP TRIGGER IF EXISTS escrow_transfer_append_only ON escrow_transfer;
DROP TRIGGER IF EXISTS escrow_journal_append_only ON escrow_journal;
DROP FUNCTION IF EXISTS escrow_ledger_append_only();
"""


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite has no plpgsql)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("escrow", "0001_initial")]

    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
