package io.scenebank.benchmarks.baseline;

import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * What each endpoint does in PostgreSQL: every {@code /v1} operation is one statement in autocommit
 * (so one commit), which also records the request's nonce (a replay violates the primary key and
 * fails the whole statement). The POSTs claim the {@code Idempotency-Key} and store their answer in
 * that same statement; a repeat gets the stored answer.
 */
final class Operations {

  /** The schema, created at start. */
  static final String SCHEMA =
      """
      CREATE TABLE IF NOT EXISTS apps (
        client_id text PRIMARY KEY,
        organisation_id text NOT NULL,
        organisation_name text NOT NULL,
        app_name text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS app_keys (
        client_id text NOT NULL,
        kid text NOT NULL,
        algorithm text NOT NULL,
        thumbprint text NOT NULL,
        public_jwk text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_id, kid));
      CREATE TABLE IF NOT EXISTS request_nonces (
        client_id text NOT NULL,
        nonce text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, nonce));
      CREATE TABLE IF NOT EXISTS idempotency_keys (
        client_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_digest text NOT NULL,
        status int NOT NULL,
        response text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_id, idempotency_key));
      CREATE TABLE IF NOT EXISTS merchants (
        id text PRIMARY KEY,
        client_id text NOT NULL,
        status text NOT NULL,
        fee_rate_bps int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS accounts (
        id text PRIMARY KEY,
        balance bigint NOT NULL CHECK (balance >= 0));
      CREATE TABLE IF NOT EXISTS payments (
        id text PRIMARY KEY,
        client_id text NOT NULL,
        merchant_id text NOT NULL,
        payer_account text NOT NULL,
        amount bigint NOT NULL,
        status text NOT NULL,
        description text NOT NULL,
        merchant_order_ref text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, merchant_order_ref));
      CREATE TABLE IF NOT EXISTS ledger_postings (
        id bigserial PRIMARY KEY,
        payment_id text NOT NULL,
        account_id text NOT NULL,
        amount bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX IF NOT EXISTS ledger_postings_account ON ledger_postings (account_id);
      """;

  /** Every payer account starts with ¥10,000. */
  static final long PAYER_OPENING_BALANCE = 1_000_000;

  /** $1 client id, $2 nonce, $3 when it may be forgotten. */
  private static final String NONCE =
      "nonce AS (INSERT INTO request_nonces (client_id, nonce, expires_at) VALUES ($1, $2, $3))";

  /** An earlier request with this app's $4 idempotency key. */
  private static final String PRIOR =
      "prior AS (SELECT status, response, request_digest FROM idempotency_keys"
          + " WHERE client_id = $1 AND idempotency_key = $4)";

  /** The answer just stored by {@code claim}, or the one stored by the earlier request. */
  private static final String ANSWER =
      " SELECT status, response, request_digest, false AS replayed FROM claim"
          + " UNION ALL SELECT status, response, request_digest, true FROM prior";

  /**
   * $5 request fingerprint, $6 payment id, $7 merchant id, $8 payer account, $9 amount, $10
   * description, $11 merchant order ref. The upsert on the payer's account is the debit: it creates
   * the account on first use, and locks its row and takes the amount only if the balance covers it.
   */
  private static final String CREATE_PAYMENT =
      "WITH "
          + NONCE
          + ", "
          + PRIOR
          + ", merchant AS (SELECT id FROM merchants WHERE id = $7 AND client_id = $1"
          + "   AND status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM prior)),"
          + " debit AS (INSERT INTO accounts AS a (id, balance)"
          + "   SELECT $8, "
          + PAYER_OPENING_BALANCE
          + " - $9::bigint FROM merchant WHERE $9::bigint <= "
          + PAYER_OPENING_BALANCE
          + "   ON CONFLICT (id) DO UPDATE SET balance = a.balance - $9::bigint   WHERE a.balance"
          + " >= $9::bigint RETURNING id), payment AS (INSERT INTO payments (id, client_id,"
          + " merchant_id, payer_account, amount,   status, description, merchant_order_ref)  "
          + " SELECT $6, $1, id, $8, $9::bigint,   CASE WHEN EXISTS (SELECT 1 FROM debit) THEN"
          + " 'SUCCEEDED' ELSE 'DECLINED' END, $10, $11   FROM merchant RETURNING *), legs AS"
          + " (INSERT INTO ledger_postings (payment_id, account_id, amount)   SELECT payment.id,"
          + " leg.account_id, leg.amount FROM payment, debit,   (VALUES ($8, -$9::bigint),"
          + " ('merchant:' || $7, $9::bigint)) AS leg (account_id, amount)), claim AS (INSERT INTO"
          + " idempotency_keys   (client_id, idempotency_key, request_digest, status, response)  "
          + " SELECT $1, $4, $5, 201, json_strip_nulls(json_build_object(     'id', id, 'object',"
          + " 'payment', 'livemode', false, 'type', 'PAYER_CODE',     'status', status,"
          + " 'merchant_id', merchant_id,     'amount', json_build_object('amount', amount,"
          + " 'currency', 'CNY'),     'refunded_amount', json_build_object('amount', 0, 'currency',"
          + " 'CNY'),     'description', description, 'merchant_order_ref', merchant_order_ref,    "
          + " 'decline_code', CASE WHEN status = 'DECLINED' THEN 'INSUFFICIENT_FUNDS' END,    "
          + " 'paid_at', CASE WHEN status = 'SUCCEEDED' THEN created_at END,     'created_at',"
          + " created_at, 'updated_at', created_at))::text   FROM payment RETURNING status,"
          + " response, request_digest)"
          + ANSWER;

  /** $5 request fingerprint, $6 merchant id, $7 fee rate, $8 the answer. */
  private static final String CREATE_MERCHANT =
      "WITH "
          + NONCE
          + ", "
          + PRIOR
          + ", merchant AS (INSERT INTO merchants (id, client_id, status, fee_rate_bps)   SELECT"
          + " $6, $1, 'ACTIVE', $7 WHERE NOT EXISTS (SELECT 1 FROM prior) RETURNING id), claim AS"
          + " (INSERT INTO idempotency_keys   (client_id, idempotency_key, request_digest, status,"
          + " response)   SELECT $1, $4, $5, 201, $8 FROM merchant RETURNING status, response,"
          + " request_digest)"
          + ANSWER;

  /** $4 merchant id. */
  private static final String MERCHANT_BALANCE =
      "WITH "
          + NONCE
          + " SELECT m.fee_rate_bps, (SELECT coalesce(sum(p.amount), 0) FROM ledger_postings p"
          + "   WHERE p.account_id = 'merchant:' || m.id)::bigint AS pending"
          + " FROM merchants m WHERE m.id = $4 AND m.client_id = $1";

  private static final String LIST_KEYS =
      "WITH "
          + NONCE
          + " SELECT kid, algorithm, thumbprint, public_jwk, status, created_at FROM app_keys"
          + " WHERE client_id = $1 ORDER BY created_at DESC, kid";

  private static final String SIGN_UP =
      "WITH app AS (INSERT INTO apps (client_id, organisation_id, organisation_name, app_name,"
          + " email) VALUES ($1, $2, $3, $4, $5))"
          + " INSERT INTO app_keys (client_id, kid, algorithm, thumbprint, public_jwk)"
          + " VALUES ($1, $6, $7, $8, $9) RETURNING created_at";

  private static final Pattern PAYER_CODE = Pattern.compile("[0-9]{18}");

  /** What a {@code /v1} operation answers: a status and a JSON body, perhaps a stored one. */
  record Answer(int status, Buffer body, boolean replayed) {
    static Answer of(int status, JsonObject body) {
      return new Answer(status, body.toBuffer(), false);
    }
  }

  /** A signed request, authenticated, with what its operation needs. */
  record Call(Security.Caller caller, Buffer body, String idempotencyKey, String fingerprint) {}

  private final Pool pool;
  private final String issuer;

  Operations(Pool pool, String issuer) {
    this.pool = pool;
    this.issuer = issuer;
  }

  /** {@code POST /sandbox/signup}: stores a new app and its public key; answers 201. */
  Future<JsonObject> signUp(Buffer body) {
    JsonObject request = json(body);
    String algorithmName = required(request, "algorithm");
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromHttpName(algorithmName)
            .orElseThrow(() -> Problem.badRequest("Unknown algorithm " + algorithmName + "."));
    JsonObject publicKey = request.getJsonObject("public_key");
    if (publicKey == null) {
      throw Problem.badRequest("The baseline registers your public_key; it generates none.");
    }
    PublicJwk jwk;
    try {
      jwk = PublicJwk.parse(publicKey.getMap());
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(e.getMessage());
    }
    if (jwk.algorithm() != algorithm) {
      throw new Problem(422, "key_unsupported", "The key cannot sign with " + algorithmName + ".");
    }
    String kid = jwk.keyId() != null ? jwk.keyId() : jwk.thumbprint();
    String clientId = Ids.next("app");
    String organisationId = Ids.next("org");
    Tuple values =
        Tuple.of(
                clientId,
                organisationId,
                required(request, "organisation_name"),
                required(request, "app_name"),
                required(request, "email"))
            .addString(kid)
            .addString(algorithm.httpName())
            .addString(jwk.thumbprint())
            .addString(jwk.toJson());
    return pool.preparedQuery(SIGN_UP)
        .execute(values)
        .map(
            rows ->
                new JsonObject()
                    .put("object", "sandbox_signup")
                    .put("organisation_id", organisationId)
                    .put("client_id", clientId)
                    .put("key_id", kid)
                    .put("algorithm", algorithm.httpName())
                    .put("scopes", new JsonArray(Security.SCOPES))
                    .put("token_endpoint", issuer + "/oauth2/token")
                    .put("issuer", issuer)
                    .put("livemode", false)
                    .put(
                        "created_at",
                        rows.iterator().next().getOffsetDateTime("created_at").toString()));
  }

  /** {@code POST /v1/payments/code-payments}: a payer-code payment, all in one statement. */
  Future<Answer> createPayment(Call call) {
    JsonObject request = json(call.body());
    String merchantId = required(request, "merchant_id");
    String payerCode = required(request, "payer_code");
    JsonObject amount = request.getJsonObject("amount");
    if (!PAYER_CODE.matcher(payerCode).matches()
        || amount == null
        || amount.getLong("amount", 0L) < 1
        || !"CNY".equals(amount.getString("currency"))) {
      throw Problem.badRequest("payer_code must be 18 digits and amount at least 1 fen in CNY.");
    }
    Tuple values =
        start(call)
            .addString(Ids.next("pay"))
            .addString(merchantId)
            .addString("payer:" + payerCode)
            .addLong(amount.getLong("amount"))
            .addString(required(request, "description"))
            .addString(required(request, "merchant_order_ref"));
    return pool.preparedQuery(CREATE_PAYMENT)
        .execute(values)
        .map(rows -> stored(rows, call, "No active merchant " + merchantId + " of this app."));
  }

  /** {@code POST /v1/merchants}: onboards a merchant, at once {@code ACTIVE}. */
  Future<Answer> createMerchant(Call call) {
    JsonObject request = json(call.body());
    JsonObject account = request.getJsonObject("settlement_account", new JsonObject());
    JsonObject contact = request.getJsonObject("contact", new JsonObject());
    String id = Ids.next("mch");
    int feeRate = request.getInteger("fee_rate_bps", 0);
    String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
    JsonObject merchant =
        new JsonObject()
            .put("id", id)
            .put("object", "merchant")
            .put("livemode", false)
            .put("status", "ACTIVE")
            .put("business_name", required(request, "business_name"))
            .put("short_name", request.getString("short_name", required(request, "business_name")))
            .put("licence_number", required(request, "licence_number"))
            .put("category", required(request, "category"))
            .put(
                "settlement_account",
                new JsonObject()
                    .put("bank_name", required(account, "bank_name"))
                    .put("account_number_masked", mask(required(account, "account_number"), 4, 4))
                    .put("account_name", required(account, "account_name")))
            .put(
                "contact",
                new JsonObject()
                    .put("name_masked", mask(required(contact, "name"), 1, 0))
                    .put("phone_masked", mask(required(contact, "phone"), 3, 4)))
            .put("fee_rate_bps", feeRate)
            .put("created_at", now)
            .put("updated_at", now);
    Tuple values = start(call).addString(id).addInteger(feeRate).addString(merchant.encode());
    return pool.preparedQuery(CREATE_MERCHANT)
        .execute(values)
        .map(rows -> stored(rows, call, "No merchant was created."));
  }

  /** {@code GET /v1/merchants/{id}/balance}: the sum of the merchant's postings. */
  Future<Answer> merchantBalance(Call call, String merchantId) {
    return pool.preparedQuery(MERCHANT_BALANCE)
        .execute(nonce(call.caller()).addString(merchantId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new Problem(404, "not_found", "No merchant " + merchantId + ".");
              }
              Row row = rows.iterator().next();
              long pending = row.getLong("pending");
              return Answer.of(
                  200,
                  new JsonObject()
                      .put("object", "merchant_balance")
                      .put("merchant_id", merchantId)
                      .put("livemode", false)
                      .put("pending", money(pending))
                      .put("settling", money(0))
                      .put("fees_pending", money(pending * row.getInteger("fee_rate_bps") / 10_000))
                      .put("as_of", OffsetDateTime.now(ZoneOffset.UTC).toString()));
            });
  }

  /** {@code GET /v1/client/keys}: the signed read, nonce and SELECT in one statement. */
  Future<Answer> listKeys(Call call) {
    String clientId = call.caller().clientId();
    return pool.preparedQuery(LIST_KEYS)
        .execute(nonce(call.caller()))
        .map(
            rows -> {
              JsonArray data = new JsonArray();
              for (Row row : rows) {
                String created = row.getOffsetDateTime("created_at").toString();
                data.add(
                    new JsonObject()
                        .put("object", "client_key")
                        .put("kid", row.getString("kid"))
                        .put("livemode", false)
                        .put("client_id", clientId)
                        .put("algorithm", row.getString("algorithm"))
                        .put("status", row.getString("status"))
                        .put("thumbprint", row.getString("thumbprint"))
                        .put("public_jwk", new JsonObject(row.getString("public_jwk")))
                        .put("created_at", created)
                        .put("updated_at", created));
              }
              return Answer.of(
                  200,
                  new JsonObject().put("object", "list").put("data", data).put("has_more", false));
            });
  }

  /** $1 to $3: the caller's nonce, kept twice the signature window. */
  private static Tuple nonce(Security.Caller caller) {
    return Tuple.of(
        caller.clientId(),
        caller.nonce(),
        OffsetDateTime.now(ZoneOffset.UTC).plus(Security.WINDOW.multipliedBy(2)));
  }

  /** $1 to $5 of an idempotent POST: the nonce, the idempotency key, the request's fingerprint. */
  private static Tuple start(Call call) {
    return nonce(call.caller()).addString(call.idempotencyKey()).addString(call.fingerprint());
  }

  /** The answer a POST statement stored, or the one an earlier request with its key stored. */
  private static Answer stored(RowSet<Row> rows, Call call, String notFound) {
    if (rows.size() == 0) {
      throw new Problem(404, "not_found", notFound);
    }
    Row row = rows.iterator().next();
    boolean replayed = row.getBoolean("replayed");
    if (replayed && !call.fingerprint().equals(row.getString("request_digest"))) {
      throw new Problem(
          422, "idempotency_key_reused", "This Idempotency-Key was used with another request.");
    }
    return new Answer(row.getInteger("status"), Buffer.buffer(row.getString("response")), replayed);
  }

  private static JsonObject json(Buffer body) {
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw Problem.badRequest("The body is not a JSON object.");
    }
  }

  private static String required(JsonObject object, String name) {
    Object value = object.getValue(name);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw Problem.badRequest(name + " is required.");
    }
    return (String) value;
  }

  private static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "CNY");
  }

  private static String mask(String value, int keepStart, int keepEnd) {
    if (value.length() <= keepStart + keepEnd) {
      return value;
    }
    return value.substring(0, keepStart)
        + "*".repeat(value.length() - keepStart - keepEnd)
        + value.substring(value.length() - keepEnd);
  }
}
