-- The money path writes each operation in one statement (the ledger's transactions, postings and
-- balances with the operation's own rows). The balance check moves with it: instead of a deferred
-- trigger that re-sums a transaction's postings at commit, once per posting, a statement-level
-- trigger checks the postings the statement inserted, per transaction: they must sum to zero and
-- have at least two legs. A transaction's postings are always inserted by one statement.
DROP TRIGGER ledger_postings_balanced ON ledger_postings;
DROP FUNCTION ledger_transaction_balanced();

CREATE FUNCTION ledger_statement_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced text;
BEGIN
  SELECT transaction_id INTO unbalanced FROM new_postings
    GROUP BY transaction_id HAVING sum(amount) <> 0 OR count(*) < 2 LIMIT 1;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % does not balance', unbalanced;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
  REFERENCING NEW TABLE AS new_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_statement_balanced();

-- The velocity rule counts a payer's successful payments in a sliding window estimated from two
-- fixed windows (the current one and the one before, weighted by how much of it still overlaps),
-- kept on the payer's row: no count over the payer's whole history, no row beyond the one the
-- payment locks anyway. Windows are numbered epoch-seconds / window-length.
ALTER TABLE payer_accounts
  ADD COLUMN velocity_window   bigint  NOT NULL DEFAULT 0,
  ADD COLUMN velocity_current  integer NOT NULL DEFAULT 0 CHECK (velocity_current >= 0),
  ADD COLUMN velocity_previous integer NOT NULL DEFAULT 0 CHECK (velocity_previous >= 0);
-- start from what the last hour held (the rule's window is one hour)
UPDATE payer_accounts a SET
  velocity_window = floor(extract(epoch FROM now()) / 3600)::bigint,
  velocity_current = (SELECT count(*) FROM payments p WHERE p.client_id = a.client_id
    AND p.payer_account_id = a.id AND p.status = 'SUCCEEDED'
    AND p.paid_at > now() - interval '1 hour');
