package io.scenebank.gateway.merchants;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.gateway.support.Digests;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Daily statements and T+1 settlements. After 02:00 (the app's clock) following a business day with
 * activity, one transaction per merchant writes the day's CSV statement (signed by the gateway with
 * a detached JWS over its exact bytes), settles the day's net to the merchant's settlement account
 * minus fees in the ledger, and emits {@code statement.ready}. The statement's totals are computed
 * from the same rows the ledger moved for, so they add up to it exactly.
 */
public final class Statements implements TimeDriven {

  static final String TYPE = "statement+jws";
  private static final int SWEEP_BATCH = 200;

  private final Pool pool;
  private final Merchants merchants;
  private final Ledger ledger;
  private final Events events;
  private final AppClock clock;
  private final SigningKeys keys;
  private final MerchantRows rows;

  public Statements(
      Pool pool,
      Merchants merchants,
      Ledger ledger,
      Events events,
      AppClock clock,
      SigningKeys keys,
      MerchantRows rows) {
    this.pool = pool;
    this.merchants = merchants;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.keys = keys;
    this.rows = rows;
  }

  @Override
  public Future<Void> runDue(String clientId) {
    // a day is ready once the app's clock is past 02:00 (China) the day after
    String readyBefore =
        "((" + clock.nowSql("d.client_id") + " AT TIME ZONE 'UTC') + interval '6 hours')::date";
    return pool.preparedQuery(
            "SELECT d.merchant_id, d.business_date, d.client_id FROM merchant_days d"
                + " WHERE d.statement_id IS NULL AND ($1::text IS NULL OR d.client_id = $1)"
                + " AND d.business_date < "
                + readyBefore
                + " ORDER BY d.business_date LIMIT "
                + SWEEP_BATCH)
        .execute(Tuple.of(clientId))
        .compose(
            due -> {
              Future<Void> done = Future.succeededFuture();
              for (Row row : due) {
                done =
                    done.compose(
                        v ->
                            close(
                                row.getString("client_id"),
                                row.getString("merchant_id"),
                                row.getLocalDate("business_date")));
              }
              return done.onSuccess(v -> events.nudge());
            });
  }

  /** Writes the statement and the settlement of one merchant's day (once). */
  private Future<Void> close(String clientId, String merchantId, LocalDate date) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT statement_id FROM merchant_days WHERE merchant_id = $1"
                        + " AND business_date = $2 FOR UPDATE")
                .execute(Tuple.of(merchantId, date))
                .compose(
                    locked ->
                        locked.iterator().next().getString(0) != null
                            ? Future.succeededFuture()
                            : clock
                                .now(tx, clientId)
                                .compose(now -> write(tx, clientId, merchantId, date, now))));
  }

  private Future<Void> write(
      SqlClient tx, String clientId, String merchantId, LocalDate date, OffsetDateTime now) {
    return tx.preparedQuery(
            "SELECT 'PAYMENT' AS row_type, p.id, p.id AS payment_id, p.merchant_order_ref AS ref,"
                + " p.type, p.paid_at AS at, p.amount, p.fee FROM payments p"
                + " WHERE p.merchant_id = $1 AND p.business_date = $2 AND p.status = 'SUCCEEDED'"
                + " UNION ALL SELECT 'REFUND', r.id, r.payment_id, r.merchant_refund_ref, 'REFUND',"
                + " r.created_at, -r.amount, 0 FROM refunds r WHERE r.merchant_id = $1"
                + " AND r.business_date = $2 AND r.status = 'SUCCEEDED'"
                + " ORDER BY at, id")
        .execute(Tuple.of(merchantId, date))
        .compose(
            lines -> {
              StringBuilder csv = new StringBuilder();
              csv.append("# merchant=")
                  .append(merchantId)
                  .append(",date=")
                  .append(date)
                  .append(",currency=CNY,mode=")
                  .append(rows.livemode() ? "live" : "sandbox")
                  .append('\n');
              csv.append("row_type,id,payment_id,reference,type,time,amount,fee,net\n");
              long gross = 0;
              long refunds = 0;
              long fees = 0;
              int payments = 0;
              int refundCount = 0;
              for (Row line : lines) {
                long amount = line.getLong("amount");
                long fee = line.getLong("fee");
                if (amount > 0) {
                  gross += amount;
                  payments++;
                } else {
                  refunds -= amount;
                  refundCount++;
                }
                fees += fee;
                csv.append(csvField(line.getString("row_type")))
                    .append(',')
                    .append(csvField(line.getString("id")))
                    .append(',')
                    .append(csvField(line.getString("payment_id")))
                    .append(',')
                    .append(csvField(line.getString("ref")))
                    .append(',')
                    .append(csvField(line.getString("type")))
                    .append(',')
                    .append(Times.format(line.getOffsetDateTime("at")))
                    .append(',')
                    .append(amount)
                    .append(',')
                    .append(fee)
                    .append(',')
                    .append(amount - fee)
                    .append('\n');
              }
              long net = gross - refunds - fees;
              csv.append("TOTAL,,,,,,")
                  .append(gross - refunds)
                  .append(',')
                  .append(fees)
                  .append(',')
                  .append(net)
                  .append('\n');
              byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
              JsonObject totals =
                  new JsonObject()
                      .put("payment_count", payments)
                      .put("refund_count", refundCount)
                      .put("gross", Rows.money(gross))
                      .put("refunds", Rows.money(refunds))
                      .put("fees", Rows.money(fees))
                      .put("net", Rows.money(Math.max(0, net)));
              return store(
                  tx,
                  clientId,
                  merchantId,
                  date,
                  body,
                  payments + refundCount,
                  totals,
                  gross,
                  refunds,
                  fees,
                  net,
                  now);
            });
  }

  private Future<Void> store(
      SqlClient tx,
      String clientId,
      String merchantId,
      LocalDate date,
      byte[] body,
      int rowCount,
      JsonObject totals,
      long gross,
      long refunds,
      long fees,
      long net,
      OffsetDateTime now) {
    String id = Ids.next("stm");
    SigningKeys.Active key = keys.current(SignatureAlgorithm.ED25519);
    String signature = detached(key, body);
    String settlementId = Ids.next("mst");
    boolean payable = net >= 0;
    Transfer settle =
        new Transfer(
            Ledger.Layer.POSTED,
            "payments.settlement",
            settlementId,
            List.of(
                Posting.debit(MerchantRows.balance(clientId, merchantId), gross - refunds),
                Posting.credit(MerchantRows.feeIncome(clientId), fees),
                Posting.credit(MerchantRows.payouts(clientId, merchantId), net)));
    return tx.preparedQuery(
            "INSERT INTO statements (id, client_id, merchant_id, statement_date, row_count, totals,"
                + " body, sha256, signature, signature_kid, created_at) VALUES ($1, $2, $3, $4,"
                + " $5, $6, $7, $8, $9, $10, $11) RETURNING *")
        .execute(
            Tuple.tuple()
                .addString(id)
                .addString(clientId)
                .addString(merchantId)
                .addLocalDate(date)
                .addInteger(rowCount)
                .addJsonObject(totals)
                .addBuffer(Buffer.buffer(body))
                .addString(HexFormat.of().formatHex(Digests.sha256(body)))
                .addString(signature)
                .addString(key.kid())
                .addOffsetDateTime(now))
        .compose(
            inserted -> {
              JsonObject statement = rows.statement(inserted.iterator().next());
              Future<?> booked =
                  payable ? ledger.record(tx, now, List.of(settle)) : Future.succeededFuture();
              return booked
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "INSERT INTO merchant_settlements (id, client_id, merchant_id,"
                                      + " business_date, gross, refunds, fees, net, status,"
                                      + " failure_reason, paid_at, created_at, updated_at) VALUES"
                                      + " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)")
                              .execute(
                                  Tuple.tuple()
                                      .addString(settlementId)
                                      .addString(clientId)
                                      .addString(merchantId)
                                      .addLocalDate(date)
                                      .addLong(gross)
                                      .addLong(refunds)
                                      .addLong(fees)
                                      .addLong(net)
                                      .addString(payable ? "PAID" : "FAILED")
                                      .addString(
                                          payable
                                              ? null
                                              : "Refunds exceed the day's payments; the balance"
                                                  + " carries over.")
                                      .addOffsetDateTime(payable ? now : null)
                                      .addOffsetDateTime(now)))
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "UPDATE merchant_days SET statement_id = $3 WHERE merchant_id = $1"
                                      + " AND business_date = $2")
                              .execute(Tuple.of(merchantId, date, id)))
                  .compose(v -> events.emit(tx, clientId, "statement.ready", statement, null))
                  .mapEmpty();
            });
  }

  /** A compact JWS with detached payload (RFC 7515 appendix F) over the exact bytes. */
  static String detached(SigningKeys.Active key, byte[] body) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString(
            new JsonObject()
                .put("alg", key.algorithm().jwsName())
                .put("kid", key.kid())
                .put("typ", TYPE)
                .encode()
                .getBytes(StandardCharsets.UTF_8));
    String input = header + "." + b64.encodeToString(body);
    byte[] signature = key.signer().sign(input.getBytes(StandardCharsets.US_ASCII));
    return header + ".." + b64.encodeToString(signature);
  }

  Future<JsonObject> list(
      String clientId, String merchantId, LocalDate from, LocalDate until, Page.Request page) {
    return merchants
        .find(pool, clientId, merchantId)
        .compose(
            m ->
                ListQuery.of("SELECT s.* FROM statements s", "s")
                    .eq("s.merchant_id", merchantId)
                    .dateFrom("s.statement_date", from)
                    .dateUntil("s.statement_date", until)
                    .page(pool, page, rows::statement));
  }

  Future<JsonObject> settlements(
      String clientId, String merchantId, LocalDate from, LocalDate until, Page.Request page) {
    return merchants
        .find(pool, clientId, merchantId)
        .compose(
            m ->
                ListQuery.of(
                        "SELECT s.*, m.settlement_account FROM merchant_settlements s"
                            + " JOIN merchants m ON m.id = s.merchant_id",
                        "s")
                    .eq("s.merchant_id", merchantId)
                    .dateFrom("s.business_date", from)
                    .dateUntil("s.business_date", until)
                    .page(pool, page, rows::settlement));
  }

  /** The statement file: its bytes and detached signature; 404 while it is not ready. */
  Future<Row> download(String clientId, String merchantId, LocalDate date) {
    return merchants
        .find(pool, clientId, merchantId)
        .compose(
            m ->
                pool.preparedQuery(
                        "SELECT * FROM statements WHERE merchant_id = $1 AND statement_date = $2")
                    .execute(Tuple.of(merchantId, date)))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound(
                    "No statement of " + merchantId + " for " + date + " (yet).");
              }
              return found.iterator().next();
            });
  }

  /**
   * One CSV field (RFC 4180) that cannot break its row, whatever is stored: quoted, with quotes
   * doubled, when it holds a comma, a quote or a line break; empty when absent.
   */
  static String csvField(String value) {
    if (value == null) {
      return "";
    }
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
