-- Client registry, the gateway's own signing keys, issued tokens, replay protection, idempotency.

CREATE TABLE organisations (
  id              text        PRIMARY KEY,
  name            text        NOT NULL,
  type            text        NOT NULL,
  licence_number  text,
  contact_email   text        NOT NULL,
  status          text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  metadata        jsonb       NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_created ON organisations (created_at DESC, id DESC);

CREATE TABLE apps (
  client_id        text        PRIMARY KEY,
  organisation_id  text        NOT NULL REFERENCES organisations (id),
  name             text        NOT NULL,
  scopes           text[]      NOT NULL,
  status           text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  metadata         jsonb       NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX apps_by_organisation ON apps (organisation_id, created_at DESC, client_id DESC);

-- Partners' public keys. The gateway never holds a partner's private key.
CREATE TABLE client_keys (
  client_id   text        NOT NULL REFERENCES apps (client_id),
  kid         text        NOT NULL,
  algorithm   text        NOT NULL,
  public_jwk  jsonb       NOT NULL,
  thumbprint  text        NOT NULL,
  status      text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REVOKED')),
  not_before  timestamptz NOT NULL DEFAULT now(),
  not_after   timestamptz,
  revoked_at  timestamptz,
  revoke_reason text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, kid)
);
-- one key, one app: a key registered twice would let one partner act as another
CREATE UNIQUE INDEX client_keys_thumbprint ON client_keys (thumbprint);

-- The gateway's keys (token and response signing). Private keys are sealed with the master key.
CREATE TABLE signing_keys (
  kid          text        PRIMARY KEY,
  algorithm    text        NOT NULL CHECK (algorithm IN ('ed25519', 'sm2-sm3')),
  public_jwk   jsonb       NOT NULL,
  sealed_private_key bytea NOT NULL,
  status       text        NOT NULL CHECK (status IN ('ACTIVE', 'RETIRED')),
  previous_kid text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (algorithm) WHERE status = 'ACTIVE';

CREATE TABLE access_tokens (
  jti         text        PRIMARY KEY,
  client_id   text        NOT NULL REFERENCES apps (client_id),
  kid         text        NOT NULL,
  scope       text        NOT NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Single use: client assertion ids (RFC 7523) and request signature nonces, shared by all instances.
CREATE TABLE assertion_ids (
  client_id   text        NOT NULL,
  jti         text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX assertion_ids_expiry ON assertion_ids (expires_at);

CREATE TABLE request_nonces (
  client_id   text        NOT NULL,
  kid         text        NOT NULL,
  nonce       text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (client_id, kid, nonce)
);
CREATE INDEX request_nonces_expiry ON request_nonces (expires_at);

CREATE TABLE idempotency_keys (
  client_id        text        NOT NULL,
  idempotency_key  text        NOT NULL,
  request_hash     bytea       NOT NULL,
  state            text        NOT NULL CHECK (state IN ('IN_FLIGHT', 'DONE')),
  locked_until     timestamptz NOT NULL,
  response_status  integer,
  response_type    text,
  response_body    bytea,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (client_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
