package io.scenebank.gateway.config;

/**
 * Every setting the gateway reads, with its default and meaning. The same name is used as an
 * environment variable and as a key in the optional configuration file; the README's table is
 * checked against this list by a test.
 */
public enum Setting {
  MODE("SCENEBANK_MODE", "sandbox", "`sandbox` (self-service signup, simulators) or `production`."),
  HTTP_HOST("SCENEBANK_HTTP_HOST", "0.0.0.0", "Interface the HTTP server binds to."),
  HTTP_PORT("SCENEBANK_HTTP_PORT", "8080", "HTTP port; `0` picks a free port (logged at start)."),
  HTTP_INSTANCES(
      "SCENEBANK_HTTP_INSTANCES", "0", "Event-loop server instances; `0` means one per CPU core."),
  MANAGEMENT_PORT(
      "SCENEBANK_MANAGEMENT_PORT",
      "",
      "Port of the management server (`GET /metrics`, Prometheus text); `0` picks a free port"
          + " (logged at start). Empty: no management server."),
  MANAGEMENT_HOST(
      "SCENEBANK_MANAGEMENT_HOST",
      "127.0.0.1",
      "Interface the management server binds to; keep it off the partners' network."),
  BODY_LIMIT_BYTES(
      "SCENEBANK_BODY_LIMIT_BYTES", "1048576", "Largest request body accepted; larger gets `413`."),
  REQUEST_TIMEOUT_MS(
      "SCENEBANK_REQUEST_TIMEOUT_MS", "30000", "A request still unanswered after this gets `503`."),
  SHUTDOWN_GRACE_SECONDS(
      "SCENEBANK_SHUTDOWN_GRACE_SECONDS",
      "30",
      "On SIGTERM, how long in-flight requests may take to finish."),
  SHUTDOWN_DRAIN_SECONDS(
      "SCENEBANK_SHUTDOWN_DRAIN_SECONDS",
      "2",
      "On SIGTERM, how long the gateway keeps accepting connections only to answer `503` (and fail"
          + " its readiness probe) before it stops listening, so that load balancers and clients"
          + " move away without a refused connection."),
  PUBLIC_URL(
      "SCENEBANK_PUBLIC_URL",
      "",
      "External base URL: the OAuth issuer and the scheme and host of `@target-uri`. Empty:"
          + " `http://localhost:<port>`."),
  MASTER_KEY(
      "SCENEBANK_MASTER_KEY",
      "",
      "Base64 of 32 random bytes that seal the gateway's private keys at rest. Required in production"
          + " and with `DATABASE_URL`; empty in sandbox: generated once into the data directory."),
  OPERATOR_JWK(
      "SCENEBANK_OPERATOR_JWK",
      "",
      "Public JWK (JSON) of the bank operators' key; at start the gateway ensures an operator app"
          + " holding it and logs its client id."),
  TOKEN_ISSUER(
      "SCENEBANK_TOKEN_ISSUER",
      "",
      "Accept access tokens of this external OAuth 2.0 / OpenID Connect issuer instead of the"
          + " built-in one's: its identifier (e.g. `https://idp.bank.cn/realms/open-banking`), whose"
          + " `/.well-known/openid-configuration` names its keys (reloaded on rotation) and"
          + " introspection endpoint. Its tokens must name a registered app (`client_id`, `azp` or"
          + " `sub`), carry `scope` and `cnf.jkt` (e.g. DPoP-bound), and be addressed (`aud`) to"
          + " the gateway's `SCENEBANK_PUBLIC_URL` or the issuer."),
  TOKEN_JWKS_URL(
      "SCENEBANK_TOKEN_JWKS_URL",
      "",
      "Only for an issuer without OpenID discovery: its JWKS URL (then no metadata is read and"
          + " nothing is introspected)."),
  TOKEN_INTROSPECTION_CLIENT_ID(
      "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID",
      "",
      "The gateway's client id at the external issuer: with it, tokens that cannot be verified"
          + " with the issuer's keys (opaque ones) are introspected (RFC 7662); an answer is trusted"
          + " for at most 30 seconds."),
  TOKEN_INTROSPECTION_CLIENT_SECRET(
      "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_SECRET",
      "",
      "The gateway's client secret at the external issuer (never logged)."),
  SIGNATURE_WINDOW_SECONDS(
      "SCENEBANK_SIGNATURE_WINDOW_SECONDS",
      "300",
      "How far a request signature's `created` may be from the gateway's time."),
  TOKEN_TTL_SECONDS(
      "SCENEBANK_TOKEN_TTL_SECONDS", "600", "Lifetime of access tokens (60 to 600 seconds)."),
  RATE_LIMIT_PER_SECOND(
      "SCENEBANK_RATE_LIMIT_PER_SECOND",
      "25",
      "Requests per second per app (and token or signup requests per second per address), per"
          + " instance."),
  RATE_LIMIT_BURST(
      "SCENEBANK_RATE_LIMIT_BURST", "50", "Requests an app may send at once above the rate."),
  AUTH_REFUSALS_PER_SECOND(
      "SCENEBANK_AUTH_REFUSALS_PER_SECOND",
      "20",
      "Refused authentications (bad token, signature or digest) per second per client address,"
          + " with five times as many at once; beyond that the address is answered 429 before"
          + " any check, per instance."),
  WEBHOOK_RETRY_SCHEDULE(
      "SCENEBANK_WEBHOOK_RETRY_SCHEDULE",
      "",
      "Seconds before each retry of a failed webhook delivery, comma-separated (±20 % jitter)."
          + " Empty: about three days in production, about ten minutes in the sandbox."),
  WEBHOOK_TIMEOUT_MS(
      "SCENEBANK_WEBHOOK_TIMEOUT_MS", "10000", "How long a webhook endpoint has to answer."),
  WEBHOOK_POLL_MS(
      "SCENEBANK_WEBHOOK_POLL_MS", "1000", "How often an instance looks for deliveries due."),
  CARE_GRACE_PERIOD_DAYS(
      "SCENEBANK_CARE_GRACE_PERIOD_DAYS",
      "10",
      "Pay-after-care: interest-free days between settlement and the repayment due date."),
  CARE_PENALTY_DAILY_RATE_BPS(
      "SCENEBANK_CARE_PENALTY_DAILY_RATE_BPS",
      "5",
      "Pay-after-care: penalty interest on overdue principal, basis points per day (5 = 0.05 %)."),
  PAYMENT_MAX_AMOUNT(
      "SCENEBANK_PAYMENT_MAX_AMOUNT",
      "5000000",
      "Risk rule: the largest merchant payment, in fen (larger ones are declined `AMOUNT_LIMIT`)."),
  PAYMENT_VELOCITY_LIMIT(
      "SCENEBANK_PAYMENT_VELOCITY_LIMIT",
      "30",
      "Risk rule: merchant payments one payer may make in an hour (more are declined"
          + " `VELOCITY_LIMIT`)."),
  SWEEP_INTERVAL_MS(
      "SCENEBANK_SWEEP_INTERVAL_MS",
      "30000",
      "How often an instance runs time-driven work (expiries, overdue debts, penalty interest)."),
  BILLERS_FILE(
      "SCENEBANK_BILLERS_FILE",
      "",
      "JSON file of billers added to the directory (or updated) at start: an array of `createBiller`"
          + " bodies, each with its `id` (`blr_...`)."),
  DATABASE_URL(
      "DATABASE_URL",
      "",
      "PostgreSQL URL (`postgresql://user:password@host:5432/db`); with a primary and standbys,"
          + " list them all with `target_session_attrs=read-write`"
          + " (`postgresql://u:p@db-a:5432,db-b:5432/db?target_session_attrs=read-write`): new"
          + " connections go to the host that takes writes, so a promoted standby is found."
          + " Empty: start the embedded PostgreSQL."),
  DATA_DIR(
      "SCENEBANK_DATA_DIR", "./data", "Where the embedded PostgreSQL keeps its data (persistent)."),
  DB_POOL_SIZE("SCENEBANK_DB_POOL_SIZE", "16", "Maximum PostgreSQL connections per instance."),
  LOG_LEVEL("SCENEBANK_LOG_LEVEL", "INFO", "Log level: `ERROR`, `WARN`, `INFO`, `DEBUG`."),
  CONFIG_FILE(
      "SCENEBANK_CONFIG_FILE",
      "",
      "Optional properties file with any of these settings (`--config FILE` does the same).");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The environment variable and file key. */
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
