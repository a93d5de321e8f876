-- The double-entry ledger, the sandbox clock, and pay-after-care.

-- An account holds money in two layers: PENDING (holds) and POSTED. Amounts are integer fen;
-- debits are positive, credits negative. The two balance columns are kept by the ledger in the
-- same transaction as the postings; the consistency check recomputes them from the postings.
CREATE TABLE ledger_accounts (
  id         bigserial   PRIMARY KEY,
  code       text        NOT NULL UNIQUE,
  currency   text        NOT NULL DEFAULT 'CNY',
  pending    bigint      NOT NULL DEFAULT 0,
  posted     bigint      NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A transaction is immutable and balanced: its postings sum to zero (checked at commit).
-- A correction is a new transaction that reverses an earlier one.
CREATE TABLE ledger_transactions (
  id           text        PRIMARY KEY,
  layer        text        NOT NULL CHECK (layer IN ('PENDING', 'POSTED')),
  kind         text        NOT NULL,
  reference    text        NOT NULL,
  reverses     text        REFERENCES ledger_transactions (id),
  effective_at timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_transactions_by_reference ON ledger_transactions (reference);

CREATE TABLE ledger_postings (
  id             bigserial PRIMARY KEY,
  transaction_id text      NOT NULL REFERENCES ledger_transactions (id),
  account_id     bigint    NOT NULL REFERENCES ledger_accounts (id),
  amount         bigint    NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_postings_by_transaction ON ledger_postings (transaction_id);
CREATE INDEX ledger_postings_by_account ON ledger_postings (account_id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT sum(amount) FROM ledger_postings WHERE transaction_id = NEW.transaction_id) <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance', NEW.transaction_id;
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

-- The sandbox clock: how far each app's time is ahead of the real time. It never goes back.
CREATE TABLE app_clocks (
  client_id      text        PRIMARY KEY REFERENCES apps (client_id),
  offset_seconds bigint      NOT NULL CHECK (offset_seconds >= 0),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Pay-after-care. Every row belongs to the hospital app (client_id) that made it; the times are
-- the app's clock.
CREATE TABLE care_consents (
  id                   text        PRIMARY KEY,
  client_id            text        NOT NULL REFERENCES apps (client_id),
  status               text        NOT NULL
                       CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED')),
  purpose              text        NOT NULL,
  patient_sealed       bytea       NOT NULL,
  patient_masked       jsonb       NOT NULL,
  hospital_patient_ref text        NOT NULL,
  requested_limit      bigint      CHECK (requested_limit > 0),
  expires_at           timestamptz NOT NULL,
  decided_at           timestamptz,
  credit_line_id       text        UNIQUE,
  metadata             jsonb       NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX care_consents_by_client ON care_consents (client_id, created_at DESC, id DESC);
CREATE INDEX care_consents_pending ON care_consents (expires_at) WHERE status = 'PENDING';

CREATE TABLE care_credit_lines (
  id                     text        PRIMARY KEY,
  client_id              text        NOT NULL REFERENCES apps (client_id),
  consent_id             text        NOT NULL UNIQUE REFERENCES care_consents (id),
  status                 text        NOT NULL CHECK (status IN ('ACTIVE', 'FROZEN', 'CLOSED')),
  frozen_reason          text,
  patient_masked         jsonb       NOT NULL,
  limit_amount           bigint      NOT NULL CHECK (limit_amount >= 0),
  decision               jsonb       NOT NULL,
  grace_period_days      integer     NOT NULL,
  penalty_daily_rate_bps integer     NOT NULL,
  principal_account      text        NOT NULL,
  penalty_account        text        NOT NULL,
  closed_at              timestamptz,
  metadata               jsonb       NOT NULL DEFAULT '{}',
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL
);
CREATE INDEX care_credit_lines_by_client ON care_credit_lines (client_id, created_at DESC, id DESC);

CREATE TABLE care_encounters (
  id                     text        PRIMARY KEY,
  client_id              text        NOT NULL REFERENCES apps (client_id),
  credit_line_id         text        NOT NULL REFERENCES care_credit_lines (id),
  hospital_encounter_ref text        NOT NULL,
  department             text        NOT NULL,
  visit_type             text        NOT NULL,
  status                 text        NOT NULL CHECK (status IN ('OPEN', 'SETTLED', 'CANCELLED')),
  held                   bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
  voided                 bigint      NOT NULL DEFAULT 0 CHECK (voided >= 0),
  settled                bigint      NOT NULL DEFAULT 0 CHECK (settled >= 0),
  refunded               bigint      NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= settled),
  charge_count           integer     NOT NULL DEFAULT 0,
  settlement_id          text,
  settled_at             timestamptz,
  cancelled_at           timestamptz,
  metadata               jsonb       NOT NULL DEFAULT '{}',
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  UNIQUE (credit_line_id, hospital_encounter_ref)
);
CREATE INDEX care_encounters_by_client ON care_encounters (client_id, created_at DESC, id DESC);

CREATE TABLE care_charges (
  id                  text        PRIMARY KEY,
  client_id           text        NOT NULL REFERENCES apps (client_id),
  encounter_id        text        NOT NULL REFERENCES care_encounters (id),
  credit_line_id      text        NOT NULL REFERENCES care_credit_lines (id),
  item_code           text        NOT NULL,
  description         text        NOT NULL,
  category            text        NOT NULL,
  quantity            integer     NOT NULL CHECK (quantity > 0),
  unit_amount         bigint      NOT NULL CHECK (unit_amount > 0),
  amount              bigint      NOT NULL CHECK (amount > 0),
  refunded_amount     bigint      NOT NULL DEFAULT 0
                      CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  status              text        NOT NULL
                      CHECK (status IN ('HELD', 'VOIDED', 'SETTLED', 'PARTIALLY_REFUNDED', 'REFUNDED')),
  hospital_charge_ref text        NOT NULL,
  voided_at           timestamptz,
  void_reason         text,
  metadata            jsonb       NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  UNIQUE (encounter_id, hospital_charge_ref)
);
CREATE INDEX care_charges_by_encounter ON care_charges (encounter_id, created_at DESC, id DESC);

CREATE TABLE care_settlements (
  id                        text        PRIMARY KEY,
  client_id                 text        NOT NULL REFERENCES apps (client_id),
  encounter_id              text        NOT NULL UNIQUE REFERENCES care_encounters (id),
  credit_line_id            text        NOT NULL REFERENCES care_credit_lines (id),
  total                     bigint      NOT NULL CHECK (total > 0),
  pooled_fund               bigint      NOT NULL CHECK (pooled_fund >= 0),
  personal_account          bigint      NOT NULL CHECK (personal_account >= 0),
  self_pay                  bigint      NOT NULL CHECK (self_pay >= 0),
  refunded_pooled_fund      bigint      NOT NULL DEFAULT 0,
  refunded_personal_account bigint      NOT NULL DEFAULT 0,
  refunded_self_pay         bigint      NOT NULL DEFAULT 0,
  insurer                   jsonb,
  lines                     jsonb       NOT NULL,
  debt_id                   text,
  due_date                  date        NOT NULL,
  settled_at                timestamptz NOT NULL,
  metadata                  jsonb       NOT NULL DEFAULT '{}',
  created_at                timestamptz NOT NULL,
  CHECK (pooled_fund + personal_account + self_pay = total),
  CHECK (refunded_pooled_fund BETWEEN 0 AND pooled_fund),
  CHECK (refunded_personal_account BETWEEN 0 AND personal_account),
  CHECK (refunded_self_pay BETWEEN 0 AND self_pay)
);

CREATE TABLE care_debts (
  id                     text        PRIMARY KEY,
  client_id              text        NOT NULL REFERENCES apps (client_id),
  credit_line_id         text        NOT NULL REFERENCES care_credit_lines (id),
  encounter_id           text        NOT NULL REFERENCES care_encounters (id),
  settlement_id          text        NOT NULL UNIQUE REFERENCES care_settlements (id),
  status                 text        NOT NULL CHECK (status IN ('DUE', 'OVERDUE', 'REPAID')),
  principal              bigint      NOT NULL CHECK (principal >= 0),
  penalty_accrued        bigint      NOT NULL DEFAULT 0 CHECK (penalty_accrued >= 0),
  repaid_principal       bigint      NOT NULL DEFAULT 0,
  repaid_penalty         bigint      NOT NULL DEFAULT 0,
  due_date               date        NOT NULL,
  overdue_since          date,
  penalty_days           integer     NOT NULL DEFAULT 0,
  penalty_daily_rate_bps integer     NOT NULL,
  next_reminder_on       date,
  repaid_at              timestamptz,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  CHECK (repaid_principal BETWEEN 0 AND principal),
  CHECK (repaid_penalty BETWEEN 0 AND penalty_accrued)
);
CREATE INDEX care_debts_by_client ON care_debts (client_id, created_at DESC, id DESC);
CREATE INDEX care_debts_open ON care_debts (due_date) WHERE status <> 'REPAID';

CREATE TABLE care_refunds (
  id               text        PRIMARY KEY,
  client_id        text        NOT NULL REFERENCES apps (client_id),
  encounter_id     text        NOT NULL REFERENCES care_encounters (id),
  settlement_id    text        NOT NULL REFERENCES care_settlements (id),
  amount           bigint      NOT NULL CHECK (amount > 0),
  items            jsonb       NOT NULL,
  pooled_fund      bigint      NOT NULL,
  personal_account bigint      NOT NULL,
  self_pay         bigint      NOT NULL,
  debt_reduced     bigint      NOT NULL,
  patient_refunded bigint      NOT NULL,
  reason           text        NOT NULL,
  metadata         jsonb       NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL,
  CHECK (pooled_fund + personal_account + self_pay = amount),
  CHECK (debt_reduced + patient_refunded = self_pay)
);
CREATE INDEX care_refunds_by_encounter ON care_refunds (encounter_id, created_at DESC, id DESC);

CREATE TABLE care_repayments (
  id             text        PRIMARY KEY,
  client_id      text        NOT NULL REFERENCES apps (client_id),
  credit_line_id text        NOT NULL REFERENCES care_credit_lines (id),
  amount         bigint      NOT NULL CHECK (amount > 0),
  allocations    jsonb       NOT NULL,
  source_ref     text        NOT NULL,
  metadata       jsonb       NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  UNIQUE (credit_line_id, source_ref)
);
CREATE INDEX care_repayments_by_line ON care_repayments (credit_line_id, created_at DESC, id DESC);
