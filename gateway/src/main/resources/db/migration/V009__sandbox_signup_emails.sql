-- One sandbox organisation per e-mail address, as the contract promises (409
-- email_already_registered): the address signed up with, lower-cased, is unique. Operators'
-- organisations are not signups and are not counted.
CREATE TABLE sandbox_signups (
  email           text        PRIMARY KEY,
  organisation_id text        NOT NULL REFERENCES organisations (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
