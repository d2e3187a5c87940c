"""PostgreSQL guards for money going out through a provider: a withdrawal being sent can only
be decided by the provider's answer (paid or failed, never rejected by hand), and what it
pays (who, where, how much) never changes once asked; a return to card is decided once and
never deleted, like a withdrawal."""

from importlib import import_module

from django.db import migrations

PostgresOnlySQL = import_module("escrow.migrations.0002_ledger_triggers").PostgresOnlySQL

FORWARD = r"""
CREATE OR REPLACE FUNCTION escrow_withdrawal_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'escrow: withdrawals are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status NOT IN ('requested', 'sending') THEN
        RAISE EXCEPTION 'escrow: withdrawal % was already decided', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'sending' AND NEW.status NOT IN ('sending', 'paid', 'failed') THEN
        RAISE EXCEPTION 'escrow: withdrawal % is being sent: only the provider decides it', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.user_id <> OLD.user_id OR NEW.payout_method_id <> OLD.payout_method_id
       OR NEW.amount <> OLD.amount OR NEW.amount_currency <> OLD.amount_currency OR NEW.key <> OLD.key THEN
        RAISE EXCEPTION 'escrow: withdrawal % cannot change what it pays', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION escrow_card_refund_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'escrow: returns to card are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'escrow: return to card % was already decided', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.user_id <> OLD.user_id OR NEW.payment_id <> OLD.payment_id
       OR NEW.amount <> OLD.amount OR NEW.amount_currency <> OLD.amount_currency THEN
        RAISE EXCEPTION 'escrow: return to card % cannot change what it pays', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER escrow_card_refund_decided_once BEFORE UPDATE OR DELETE ON escrow_cardrefund
    FOR EACH ROW EXECUTE FUNCTION escrow_card_refund_decided_once();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS escrow_card_refund_decided_once ON escrow_cardrefund;
DROP FUNCTION IF EXISTS escrow_card_refund_decided_once();
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
"""


class Migration(migrations.Migration):
    dependencies = [("escrow", "0006_yookassa_refunds_payouts")]

    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
