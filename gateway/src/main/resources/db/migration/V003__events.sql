-- Events (the transactional outbox), webhook endpoints and delivery attempts.

-- An event is written in the same transaction as the change it reports; its payload is stored
-- exactly as delivered, so every attempt sends the same bytes.
CREATE TABLE events (
  id          text        PRIMARY KEY,
  client_id   text        NOT NULL REFERENCES apps (client_id),
  type        text        NOT NULL,
  api_version text        NOT NULL,
  payload     text        NOT NULL,
  request_id  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_client ON events (client_id, created_at DESC, id DESC);
CREATE INDEX events_by_client_type ON events (client_id, type, created_at DESC, id DESC);

CREATE TABLE webhook_endpoints (
  id              text        PRIMARY KEY,
  client_id       text        NOT NULL REFERENCES apps (client_id),
  url             text        NOT NULL,
  event_types     text[]      NOT NULL,
  description     text,
  status          text        NOT NULL DEFAULT 'ENABLED' CHECK (status IN ('ENABLED', 'DISABLED')),
  disabled_reason text        CHECK (disabled_reason IN ('GONE', 'CONSECUTIVE_FAILURES', 'MANUAL')),
  disabled_at     timestamptz,
  api_version     text        NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}',
  last_success_at timestamptz,
  deleted_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_by_client ON webhook_endpoints (client_id, created_at DESC, id DESC);

-- Every attempt to deliver an event to an endpoint. A PENDING row is a scheduled attempt; a
-- worker claims it (locked_by/locked_until, SKIP LOCKED), sends it, and records the outcome,
-- scheduling the next attempt in the same transaction.
CREATE TABLE webhook_attempts (
  id              text        PRIMARY KEY,
  event_id        text        NOT NULL REFERENCES events (id),
  endpoint_id     text        NOT NULL REFERENCES webhook_endpoints (id),
  client_id       text        NOT NULL,
  attempt         integer     NOT NULL CHECK (attempt >= 1),
  status          text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
  next_attempt_at timestamptz NOT NULL,
  first_attempt_at timestamptz NOT NULL,
  locked_by       uuid,
  locked_until    timestamptz,
  attempted_at    timestamptz,
  response_status integer,
  error           text,
  duration_ms     integer,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, endpoint_id, attempt)
);
CREATE INDEX webhook_attempts_due ON webhook_attempts (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_attempts_by_event ON webhook_attempts (event_id, created_at DESC, id DESC);
