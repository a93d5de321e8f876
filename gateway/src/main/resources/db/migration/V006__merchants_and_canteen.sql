-- Merchant and canteen payments: merchants under a platform app, payments (QR orders, payer
-- codes, canteen), refunds, daily statements and T+1 settlements; subsidy programmes, wallets.

CREATE TABLE merchants (
  id                 text        PRIMARY KEY,
  client_id          text        NOT NULL REFERENCES apps (client_id),
  status             text        NOT NULL CHECK (status IN ('PENDING_REVIEW', 'ACTIVE', 'REJECTED', 'SUSPENDED')),
  business_name      text        NOT NULL,
  short_name         text,
  licence_number     text        NOT NULL,
  category           text        NOT NULL,
  settlement_account jsonb       NOT NULL,
  contact            jsonb       NOT NULL,
  fee_rate_bps       integer     NOT NULL,
  address            text,
  review             jsonb,
  metadata           jsonb       NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (client_id, licence_number)
);
CREATE INDEX merchants_by_client ON merchants (client_id, created_at DESC, id DESC);

CREATE TABLE payments (
  id                 text        PRIMARY KEY,
  client_id          text        NOT NULL REFERENCES apps (client_id),
  merchant_id        text        NOT NULL REFERENCES merchants (id),
  type               text        NOT NULL CHECK (type IN ('QR_ORDER', 'PAYER_CODE', 'CANTEEN')),
  status             text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'CLOSED', 'CANCELLED', 'DECLINED', 'REVERSED')),
  amount             bigint      NOT NULL CHECK (amount > 0),
  refunded_amount    bigint      NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  fee                bigint      NOT NULL DEFAULT 0,
  description        text        NOT NULL,
  merchant_order_ref text        NOT NULL,
  qr_payload         text,
  payer_account_id   text,
  expires_at         timestamptz,
  paid_at            timestamptz,
  closed_at          timestamptz,
  cancelled_at       timestamptz,
  reversed_at        timestamptz,
  decline_code       text,
  decline_message    text,
  funding            jsonb,
  lot_allocations    jsonb,
  refunded_subsidy   bigint      NOT NULL DEFAULT 0,
  meal_date          date,
  debit_transaction  text,
  business_date      date,
  metadata           jsonb       NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (merchant_id, merchant_order_ref)
);
CREATE INDEX payments_by_client ON payments (client_id, created_at DESC, id DESC);
CREATE INDEX payments_pending ON payments (expires_at) WHERE status = 'PENDING';
CREATE INDEX payments_by_payer ON payments (client_id, payer_account_id, paid_at) WHERE status = 'SUCCEEDED';
CREATE INDEX payments_by_day ON payments (merchant_id, business_date) WHERE status = 'SUCCEEDED';

CREATE TABLE refunds (
  id                  text        PRIMARY KEY,
  client_id           text        NOT NULL REFERENCES apps (client_id),
  payment_id          text        NOT NULL REFERENCES payments (id),
  merchant_id         text        NOT NULL REFERENCES merchants (id),
  amount              bigint      NOT NULL CHECK (amount > 0),
  status              text        NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED')),
  failure_reason      text,
  reason              text        NOT NULL,
  merchant_refund_ref text        NOT NULL,
  funding             jsonb,
  business_date       date        NOT NULL,
  metadata            jsonb       NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL,
  UNIQUE (merchant_id, merchant_refund_ref)
);
CREATE INDEX refunds_by_payment ON refunds (payment_id, created_at DESC, id DESC);
CREATE INDEX refunds_by_day ON refunds (merchant_id, business_date) WHERE status = 'SUCCEEDED';

-- A merchant's business days with activity; the statement and settlement follow the next day.
CREATE TABLE merchant_days (
  merchant_id   text NOT NULL REFERENCES merchants (id),
  business_date date NOT NULL,
  client_id     text NOT NULL REFERENCES apps (client_id),
  statement_id  text,
  PRIMARY KEY (merchant_id, business_date)
);
CREATE INDEX merchant_days_open ON merchant_days (business_date) WHERE statement_id IS NULL;

CREATE TABLE statements (
  id            text        PRIMARY KEY,
  client_id     text        NOT NULL REFERENCES apps (client_id),
  merchant_id   text        NOT NULL REFERENCES merchants (id),
  statement_date date       NOT NULL,
  row_count     integer     NOT NULL,
  totals        jsonb       NOT NULL,
  body          bytea       NOT NULL,
  sha256        text        NOT NULL,
  signature     text        NOT NULL,
  signature_kid text        NOT NULL,
  created_at    timestamptz NOT NULL,
  UNIQUE (merchant_id, statement_date)
);

CREATE TABLE merchant_settlements (
  id             text        PRIMARY KEY,
  client_id      text        NOT NULL REFERENCES apps (client_id),
  merchant_id    text        NOT NULL REFERENCES merchants (id),
  business_date  date        NOT NULL,
  gross          bigint      NOT NULL,
  refunds        bigint      NOT NULL,
  fees           bigint      NOT NULL,
  net            bigint      NOT NULL,
  status         text        NOT NULL CHECK (status IN ('PENDING', 'PAID', 'FAILED')),
  failure_reason text,
  paid_at        timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  UNIQUE (merchant_id, business_date)
);

CREATE TABLE subsidy_programmes (
  id                   text        PRIMARY KEY,
  client_id            text        NOT NULL REFERENCES apps (client_id),
  name                 text        NOT NULL,
  status               text        NOT NULL CHECK (status IN ('ACTIVE', 'CLOSED')),
  employer             jsonb       NOT NULL,
  funding_account_id   text        NOT NULL,
  monthly_amount       bigint      NOT NULL CHECK (monthly_amount > 0),
  meal_slots           jsonb       NOT NULL,
  canteen_merchant_ids text[]      NOT NULL,
  expiry               jsonb       NOT NULL,
  metadata             jsonb       NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX subsidy_programmes_by_client ON subsidy_programmes (client_id, created_at DESC, id DESC);

CREATE TABLE enrolments (
  id               text        PRIMARY KEY,
  client_id        text        NOT NULL REFERENCES apps (client_id),
  programme_id     text        NOT NULL REFERENCES subsidy_programmes (id),
  employee_ref     text        NOT NULL,
  name             text        NOT NULL,
  payer_account_id text        NOT NULL,
  wallet_id        text        NOT NULL UNIQUE,
  status           text        NOT NULL CHECK (status IN ('ACTIVE', 'WITHDRAWN')),
  expired_last     bigint,
  metadata         jsonb       NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  UNIQUE (programme_id, employee_ref)
);
CREATE INDEX enrolments_by_programme ON enrolments (programme_id, created_at DESC, id DESC);

CREATE TABLE subsidy_fundings (
  id                  text        PRIMARY KEY,
  client_id           text        NOT NULL REFERENCES apps (client_id),
  programme_id        text        NOT NULL REFERENCES subsidy_programmes (id),
  period              text        NOT NULL,
  amount_per_employee bigint      NOT NULL,
  employees_funded    integer     NOT NULL,
  total               bigint      NOT NULL,
  expires_at          timestamptz NOT NULL,
  created_at          timestamptz NOT NULL,
  UNIQUE (programme_id, period)
);
CREATE INDEX subsidy_fundings_by_programme ON subsidy_fundings (programme_id, created_at DESC, id DESC);

-- One funding's subsidy in one wallet: spent earliest expiry first, cleared down at expiry.
CREATE TABLE subsidy_lots (
  id          bigserial   PRIMARY KEY,
  wallet_id   text        NOT NULL,
  funding_id  text        NOT NULL REFERENCES subsidy_fundings (id),
  amount      bigint      NOT NULL CHECK (amount > 0),
  remaining   bigint      NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
  expires_at  timestamptz NOT NULL,
  expired     boolean     NOT NULL DEFAULT false
);
CREATE INDEX subsidy_lots_by_wallet ON subsidy_lots (wallet_id, expires_at);
CREATE INDEX subsidy_lots_due ON subsidy_lots (expires_at) WHERE NOT expired AND remaining > 0;
