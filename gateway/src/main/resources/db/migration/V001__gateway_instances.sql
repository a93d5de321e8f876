-- Every gateway process that started against this database: when, which version, in which mode,
-- and when it shut down cleanly (NULL while running, or after a crash).
CREATE TABLE gateway_instances (
  id          uuid        PRIMARY KEY,
  version     text        NOT NULL,
  mode        text        NOT NULL CHECK (mode IN ('sandbox', 'production')),
  host        text        NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  stopped_at  timestamptz
);

CREATE INDEX gateway_instances_started_at ON gateway_instances (started_at DESC);
