-- Bill payment: the biller directory, bills, payments, receipts, mandates; the sandbox's billers
-- and payer accounts.

CREATE TABLE billers (
  id                     text        PRIMARY KEY,
  name                   text        NOT NULL,
  category               text        NOT NULL,
  region                 text        NOT NULL,
  region_name            text,
  account_regex          text        NOT NULL,
  account_example        text        NOT NULL,
  account_description    text        NOT NULL,
  amount_rule            text        NOT NULL CHECK (amount_rule IN ('EXACT', 'EXACT_UP', 'EXACT_DOWN', 'ANY')),
  min_amount             bigint      NOT NULL CHECK (min_amount > 0),
  max_amount             bigint      NOT NULL,
  inquiry_required       boolean     NOT NULL,
  supports_mandates      boolean     NOT NULL,
  status                 text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  connector              jsonb       NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (min_amount <= max_amount),
  UNIQUE (name, region, category)
);
CREATE INDEX billers_listing ON billers (created_at DESC, id DESC);

-- The payer accounts the bank holds (their money is the ledger account deposit:<app>:<id>).
CREATE TABLE payer_accounts (
  client_id      text        NOT NULL REFERENCES apps (client_id),
  id             text        NOT NULL,
  holder_name    text        NOT NULL,
  account_masked text        NOT NULL,
  status         text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FROZEN')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, id)
);

-- Bills an app knows of (from its inquiries, or issued in the sandbox).
CREATE TABLE bills (
  id                 text        PRIMARY KEY,
  client_id          text        NOT NULL REFERENCES apps (client_id),
  biller_id          text        NOT NULL REFERENCES billers (id),
  account_number     text        NOT NULL,
  reference          text        NOT NULL,
  period             text        NOT NULL,
  amount_due         bigint      NOT NULL CHECK (amount_due > 0),
  due_date           date        NOT NULL,
  issued_at          timestamptz NOT NULL,
  status             text        NOT NULL CHECK (status IN ('UNPAID', 'PAID', 'CANCELLED')),
  pending_payment_id text,
  bill_payment_id    text,
  reminded           boolean     NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (client_id, biller_id, account_number, reference)
);
CREATE INDEX bills_unpaid ON bills (due_date) WHERE status = 'UNPAID' AND NOT reminded;

CREATE TABLE bill_payments (
  id                    text        PRIMARY KEY,
  client_id             text        NOT NULL REFERENCES apps (client_id),
  biller_id             text        NOT NULL REFERENCES billers (id),
  bill_id               text        REFERENCES bills (id),
  account_number        text        NOT NULL,
  amount                bigint      NOT NULL CHECK (amount > 0),
  payer_account_id      text        NOT NULL,
  status                text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'REVERSED', 'FAILED')),
  channel_reference     text        NOT NULL,
  biller_reference      text,
  mandate_id            text,
  debit_transaction     text,
  confirmed_at          timestamptz,
  confirmation_deadline timestamptz NOT NULL,
  last_error            text,
  reversal_reason       text,
  reversal_detail       text,
  reversed_at           timestamptz,
  metadata              jsonb       NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  UNIQUE (client_id, channel_reference)
);
CREATE INDEX bill_payments_by_client ON bill_payments (client_id, created_at DESC, id DESC);
CREATE INDEX bill_payments_pending ON bill_payments (confirmation_deadline) WHERE status = 'PENDING';

CREATE TABLE bill_receipts (
  bill_payment_id text        PRIMARY KEY REFERENCES bill_payments (id),
  receipt_number  text        NOT NULL UNIQUE,
  content         jsonb       NOT NULL,
  jws             text        NOT NULL,
  kid             text        NOT NULL,
  created_at      timestamptz NOT NULL
);

CREATE TABLE bill_mandates (
  id                  text        PRIMARY KEY,
  client_id           text        NOT NULL REFERENCES apps (client_id),
  biller_id           text        NOT NULL REFERENCES billers (id),
  account_number      text        NOT NULL,
  payer_account_id    text        NOT NULL,
  max_amount_per_bill bigint      NOT NULL CHECK (max_amount_per_bill > 0),
  status              text        NOT NULL CHECK (status IN ('ACTIVE', 'CANCELLED')),
  last_bill_payment_id text,
  last_exceeded_bill  jsonb,
  cancelled_at        timestamptz,
  cancel_reason       text,
  metadata            jsonb       NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE UNIQUE INDEX bill_mandates_one_active ON bill_mandates (client_id, biller_id, account_number, payer_account_id)
  WHERE status = 'ACTIVE';
CREATE INDEX bill_mandates_by_client ON bill_mandates (client_id, created_at DESC, id DESC);

-- The sandbox billers' own systems, per app: their bills, write-offs and fault modes.
CREATE TABLE sandbox_biller_bills (
  client_id      text        NOT NULL REFERENCES apps (client_id),
  biller_id      text        NOT NULL,
  account_number text        NOT NULL,
  reference      text        NOT NULL,
  period         text        NOT NULL,
  amount         bigint      NOT NULL,
  due_date       date        NOT NULL,
  paid_by        text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, biller_id, reference)
);

CREATE TABLE sandbox_write_offs (
  client_id  text        NOT NULL REFERENCES apps (client_id),
  payment_id text        NOT NULL,
  status     text        NOT NULL CHECK (status IN ('CONFIRMED', 'REJECTED', 'UNDECIDED')),
  reference  text,
  message    text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, payment_id)
);

CREATE TABLE sandbox_biller_faults (
  client_id text NOT NULL REFERENCES apps (client_id),
  biller_id text NOT NULL,
  mode      text NOT NULL CHECK (mode IN ('NONE', 'TIMEOUT', 'REJECT', 'MALFORMED')),
  PRIMARY KEY (client_id, biller_id)
);
