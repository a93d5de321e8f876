package io.scenebank.gateway.bills;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.PublicJwk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bills at the sandbox billers over the signed API: inquiry, payment, reversal, receipts. */
class BillPaymentTest {

  static final String WATER = "blr_3Wx8Kq2MvT7pN4bRz6Ld";
  static final String ELECTRICITY = "blr_7Eb2Nx5QkR9tM3vWp8Ls";
  static final String GAS = "blr_5Gq8Ws2NkT4vR7mXb3Hc";
  static final String PROPERTY = "blr_9Pm3Yd6KxR2tW8nQv4Lf";
  static final String PARTY_DUES = "blr_2Dz7Kc4MqV9xN3tRb6Wp";
  static final String PAYER = "acc_5Tn9Qx2KmR7vL4pWb8Zc";
  static final String POOR_PAYER = "acc_7Wb3Nq8KxT2mR6pLv4Zs";

  private final Partner app = new Partner("bills", "sandbox", "events");

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private Http.Response inquire(String biller, String account) {
    return app.post(
        "/v1/bills/inquiries",
        new JsonObject().put("biller_id", biller).put("account_number", account));
  }

  private JsonObject bill(String biller, String account) {
    JsonObject inquiry = app.ok("inquireBills", 200, inquire(biller, account));
    assertThat(inquiry.getString("status")).isEqualTo("DUES");
    return inquiry.getJsonArray("bills").getJsonObject(0);
  }

  private JsonObject payment(
      String biller, String account, String billId, long amount, String payer) {
    JsonObject body =
        new JsonObject()
            .put("biller_id", biller)
            .put("account_number", account)
            .put("amount", Partner.money(amount))
            .put("payer", new JsonObject().put("account_id", payer))
            .put("channel_reference", "ORD-" + UUID.randomUUID());
    if (billId != null) {
      body.put("bill_id", billId);
    }
    return body;
  }

  private Http.Response pay(JsonObject body) {
    return app.post("/v1/bills/payments", body);
  }

  /** The payer's balance in the ledger; a fixture never used yet has its starting balance. */
  private long balance(String payer, long untouched) {
    var rows =
        await(
            TestGateway.shared()
                .database()
                .pool()
                .preparedQuery("SELECT posted FROM ledger_accounts WHERE code = $1")
                .execute(Tuple.of("deposit:" + app.app().clientId() + ":" + payer)));
    return rows.size() == 0 ? untouched : -rows.iterator().next().getLong(0);
  }

  private long balance(String payer) {
    return balance(payer, 1_000_000);
  }

  @Test
  void directory_isFilteredAndPaged() {
    JsonObject water = app.ok("listBillers", 200, app.get("/v1/bills/billers?category=WATER"));
    assertThat(water.getJsonArray("data").stream().map(b -> ((JsonObject) b).getString("id")))
        .contains(WATER)
        .doesNotContain(ELECTRICITY);
    JsonObject page =
        app.ok("listBillers", 200, app.get("/v1/bills/billers?limit=2&region=320400"));
    assertThat(page.getJsonArray("data")).hasSize(2);
    assertThat(page.getBoolean("has_more")).isTrue();
    JsonObject next =
        app.ok(
            "listBillers",
            200,
            app.get(
                "/v1/bills/billers?limit=2&region=320400&cursor=" + page.getString("next_cursor")));
    assertThat(next.getJsonArray("data").getJsonObject(0).getString("id"))
        .isNotEqualTo(page.getJsonArray("data").getJsonObject(0).getString("id"));
    JsonObject search =
        app.ok("listBillers", 200, app.get("/v1/bills/billers?q=%E4%BE%9B%E7%94%B5"));
    assertThat(search.getJsonArray("data")).hasSize(1);
    JsonObject biller = app.ok("getBiller", 200, app.get("/v1/bills/billers/" + WATER));
    assertThat(biller.getString("amount_rule")).isEqualTo("EXACT");
    assertProblem(app.get("/v1/bills/billers/blr_0000000000000000"), 404, "not_found");
  }

  @Test
  void inquiry_showsDues_noDues_andRefusesBadAccounts() {
    JsonObject inquiry = app.ok("inquireBills", 200, inquire(WATER, "3204001234"));
    assertThat(inquiry.getString("status")).isEqualTo("DUES");
    assertThat(inquiry.getString("account_holder_masked")).isEqualTo("王*");
    JsonObject bill = inquiry.getJsonArray("bills").getJsonObject(0);
    assertThat(bill.getJsonObject("amount_due").getLong("amount")).isEqualTo(8650);
    assertThat(bill.getString("period")).isEqualTo("2026-10");
    // the same bill again: the same id
    assertThat(bill(WATER, "3204001234").getString("id")).isEqualTo(bill.getString("id"));
    assertThat(app.ok("inquireBills", 200, inquire(WATER, "3204000000")).getString("status"))
        .isEqualTo("NO_DUES");
    assertProblem(inquire(WATER, "12345"), 422, "invalid_account");
    assertProblem(inquire(WATER, "3204009999"), 422, "invalid_account");
    assertProblem(inquire(ELECTRICITY, "3204000000408"), 504, "biller_timeout");
    assertProblem(inquire(WATER, "3204005002"), 502, "biller_unavailable");
    assertProblem(inquire("blr_0000000000000000", "3204001234"), 404, "not_found");
  }

  @Test
  void payingABill_succeeds_once_withASignedReceipt() throws Exception {
    JsonObject bill = bill(WATER, "3204001234");
    JsonObject body = payment(WATER, "3204001234", bill.getString("id"), 8650, PAYER);
    JsonObject paid = app.ok("createBillPayment", 201, pay(body));
    assertThat(paid.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(paid.getString("biller_reference")).startsWith("WO");
    assertThat(paid.getJsonObject("payer").getString("name_masked")).isEqualTo("王**");
    assertThat(balance(PAYER)).isEqualTo(1_000_000 - 8650);

    assertProblem(
        pay(payment(WATER, "3204001234", bill.getString("id"), 8650, PAYER)),
        409,
        "bill_already_paid");
    assertProblem(
        pay(body.copy().put("bill_id", bill.getString("id"))), 409, "duplicate_channel_reference");
    assertThat(app.ok("inquireBills", 200, inquire(WATER, "3204001234")).getString("status"))
        .isEqualTo("NO_DUES");

    JsonObject receipt =
        app.ok(
            "getBillReceipt",
            200,
            app.get("/v1/bills/payments/" + paid.getString("id") + "/receipt"));
    Jws jws = Jws.parse(receipt.getString("jws"));
    JsonObject jwks =
        new JsonObject(new Http(TestGateway.shared().port()).get("/oauth2/jwks").body());
    JsonObject key =
        jwks.getJsonArray("keys").stream()
            .map(JsonObject.class::cast)
            .filter(k -> k.getString("kid").equals(receipt.getString("kid")))
            .findFirst()
            .orElseThrow();
    assertThat(jws.verify(PublicJwk.parse(key.encode()))).isTrue();
    assertThat(new JsonObject(jws.claims())).isEqualTo(receipt.getJsonObject("receipt"));
    assertThat(jws.claims().get("amount")).isNotNull();
    assertThat(receipt.getJsonObject("receipt").getString("biller_reference"))
        .isEqualTo(paid.getString("biller_reference"));
    assertThat(app.events("bill_payment.succeeded").encode()).contains(paid.getString("id"));
  }

  @Test
  void payments_breakingTheBillersRules_areRefused_andDebitNothing() {
    JsonObject bill = bill(GAS, "88001234");
    assertProblem(pay(payment(GAS, "88001234", null, 6420, PAYER)), 422, "bill_required");
    assertProblem(
        pay(payment(GAS, "88001234", bill.getString("id"), 6000, PAYER)),
        422,
        "amount_not_allowed");
    assertProblem(
        pay(payment(GAS, "99001234", bill.getString("id"), 6420, PAYER)), 422, "invalid_account");
    assertProblem(
        pay(payment(PARTY_DUES, "DY20260001", null, 500_000, POOR_PAYER)),
        422,
        "insufficient_funds");
    assertProblem(
        pay(payment(PARTY_DUES, "DY20260001", null, 50, PAYER)), 422, "amount_not_allowed");
    assertProblem(
        pay(payment(PARTY_DUES, "DY20260001", null, 5_000, "acc_0000000000000000")),
        404,
        "not_found");
    assertThat(balance(PAYER)).isEqualTo(1_000_000);
    assertThat(balance(POOR_PAYER, 128_000)).isEqualTo(128_000);
    // EXACT_DOWN: part of the property fee is fine
    JsonObject fee = bill(PROPERTY, "A1-1201");
    JsonObject part =
        app.ok(
            "createBillPayment",
            201,
            pay(payment(PROPERTY, "A1-1201", fee.getString("id"), 50_000, PAYER)));
    assertThat(part.getString("status")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aRejectedWriteOff_isReversed_andTheMoneyComesBack() {
    JsonObject bill = bill(WATER, "3204005001");
    JsonObject reversed =
        app.ok(
            "createBillPayment",
            201,
            pay(payment(WATER, "3204005001", bill.getString("id"), 12_000, PAYER)));
    assertThat(reversed.getString("status")).isEqualTo("REVERSED");
    assertThat(reversed.getString("reversal_reason")).isEqualTo("BILLER_REJECTED");
    assertThat(balance(PAYER)).isEqualTo(1_000_000);
    assertProblem(
        app.get("/v1/bills/payments/" + reversed.getString("id") + "/receipt"),
        409,
        "receipt_not_available");
    // the reversal is a ledger transaction that names the debit it reverses
    long linked =
        await(
                TestGateway.shared()
                    .database()
                    .pool()
                    .preparedQuery(
                        "SELECT count(*) FROM ledger_transactions r JOIN ledger_transactions d"
                            + " ON r.reverses = d.id WHERE r.reference = $1 AND r.kind ="
                            + " 'bills.reversal' AND d.kind = 'bills.debit'")
                    .execute(Tuple.of(reversed.getString("id"))))
            .iterator()
            .next()
            .getLong(0);
    assertThat(linked).isEqualTo(1);
    assertThat(app.events("bill_payment.reversed").encode()).contains(reversed.getString("id"));
  }

  @Test
  void anUnconfirmedPayment_isReversedAtItsDeadline() {
    JsonObject pending =
        app.ok("createBillPayment", 201, pay(payment(PARTY_DUES, "DY20260001", null, 5008, PAYER)));
    assertThat(pending.getString("status")).isEqualTo("PENDING");
    assertThat(pending.getString("confirmation_deadline")).isNotNull();
    assertThat(balance(PAYER)).isEqualTo(1_000_000 - 5008);
    app.advanceSeconds(120);
    assertThat(
            app.ok("getBillPayment", 200, app.get("/v1/bills/payments/" + pending.getString("id")))
                .getString("status"))
        .isEqualTo("PENDING");
    app.advanceSeconds(200);
    JsonObject reversed =
        app.ok("getBillPayment", 200, app.get("/v1/bills/payments/" + pending.getString("id")));
    assertThat(reversed.getString("status")).isEqualTo("REVERSED");
    assertThat(reversed.getString("reversal_reason")).isEqualTo("BILLER_TIMEOUT");
    assertThat(balance(PAYER)).isEqualTo(1_000_000);
    JsonObject list =
        app.ok(
            "listBillPayments",
            200,
            app.get("/v1/bills/payments?status=REVERSED&biller_id=" + PARTY_DUES));
    assertThat(list.getJsonArray("data")).hasSize(1);
  }

  @Test
  void billerFaults_areTheirOwnApps() {
    String path = "/v1/sandbox/billers/" + GAS + "/fault";
    app.ok("setBillerFault", 200, app.post(path, new JsonObject().put("mode", "MALFORMED")));
    assertProblem(inquire(GAS, "88001234"), 502, "biller_unavailable");
    Partner other = new Partner("bills", "sandbox");
    assertThat(
            other
                .ok(
                    "inquireBills",
                    200,
                    other.post(
                        "/v1/bills/inquiries",
                        new JsonObject().put("biller_id", GAS).put("account_number", "88001234")))
                .getString("status"))
        .isEqualTo("DUES");
    app.ok("setBillerFault", 200, app.post(path, new JsonObject().put("mode", "REJECT")));
    JsonObject bill = bill(GAS, "88001234");
    JsonObject rejected =
        app.ok(
            "createBillPayment",
            201,
            pay(payment(GAS, "88001234", bill.getString("id"), 6420, PAYER)));
    assertThat(rejected.getString("status")).isEqualTo("REVERSED");
    app.ok("setBillerFault", 200, app.post(path, new JsonObject().put("mode", "NONE")));
    JsonObject paid =
        app.ok(
            "createBillPayment",
            201,
            pay(payment(GAS, "88001234", bill.getString("id"), 6420, PAYER)));
    assertThat(paid.getString("status")).isEqualTo("SUCCEEDED");
    assertProblem(
        app.post(
            "/v1/sandbox/billers/blr_0000000000000000/fault", new JsonObject().put("mode", "NONE")),
        404,
        "not_found");
  }

  @Test
  void mandates_payNewBillsUpToTheirMaximum() {
    String account = "3204007" + (100 + (int) (Math.random() * 899));
    JsonObject mandate =
        app.ok(
            "createMandate",
            201,
            app.post(
                "/v1/bills/mandates",
                new JsonObject()
                    .put("biller_id", WATER)
                    .put("account_number", account)
                    .put("payer", new JsonObject().put("account_id", PAYER))
                    .put("max_amount_per_bill", Partner.money(10_000))));
    assertProblem(
        app.post(
            "/v1/bills/mandates",
            new JsonObject()
                .put("biller_id", WATER)
                .put("account_number", account)
                .put("payer", new JsonObject().put("account_id", PAYER))
                .put("max_amount_per_bill", Partner.money(20_000))),
        409,
        "mandate_exists");
    assertProblem(
        app.post(
            "/v1/bills/mandates",
            new JsonObject()
                .put("biller_id", PROPERTY)
                .put("account_number", "A1-1201")
                .put("payer", new JsonObject().put("account_id", PAYER))
                .put("max_amount_per_bill", Partner.money(20_000))),
        422,
        "mandates_not_supported");

    String due = LocalDate.now().plusDays(15).toString();
    JsonObject small =
        app.ok(
            "issueBill",
            201,
            app.post(
                "/v1/sandbox/bills",
                new JsonObject()
                    .put("biller_id", WATER)
                    .put("account_number", account)
                    .put("amount", Partner.money(8_000))
                    .put("due_date", due)
                    .put("period", "2026-11")));
    assertThat(small.getString("status")).isEqualTo("PAID");
    assertThat(balance(PAYER)).isEqualTo(1_000_000 - 8_000);
    JsonObject big =
        app.ok(
            "issueBill",
            201,
            app.post(
                "/v1/sandbox/bills",
                new JsonObject()
                    .put("biller_id", WATER)
                    .put("account_number", account)
                    .put("amount", Partner.money(15_000))
                    .put("due_date", due)
                    .put("period", "2026-12")));
    assertThat(big.getString("status")).isEqualTo("UNPAID");
    JsonObject after =
        app.ok("getMandate", 200, app.get("/v1/bills/mandates/" + mandate.getString("id")));
    assertThat(after.getString("last_bill_payment_id")).isNotNull();
    assertThat(after.getJsonObject("last_exceeded_bill").getString("bill_id"))
        .isEqualTo(big.getString("id"));
    JsonArray exceeded = app.events("mandate.limit_exceeded");
    assertThat(exceeded).hasSize(1);
    assertThat(app.events("bill.issued")).hasSize(2);

    // 3 days before the due date the unpaid bill is reminded, once
    app.advanceDays(13);
    JsonArray reminders = app.events("bill.due_reminder");
    assertThat(reminders.encode()).contains(big.getString("id"));
    app.advanceDays(1);
    assertThat(app.events("bill.due_reminder")).hasSize(reminders.size());

    String cancel = "/v1/bills/mandates/" + mandate.getString("id") + "/cancel";
    assertThat(
            app.ok("cancelMandate", 200, app.post(cancel, new JsonObject().put("reason", "moved")))
                .getString("status"))
        .isEqualTo("CANCELLED");
    assertProblem(app.post(cancel, new JsonObject()), 409, "mandate_not_active");
    JsonObject unpaid =
        app.ok(
            "issueBill",
            201,
            app.post(
                "/v1/sandbox/bills",
                new JsonObject()
                    .put("biller_id", WATER)
                    .put("account_number", account)
                    .put("amount", Partner.money(1_000))
                    .put("due_date", due)
                    .put("period", "2027-01")));
    assertThat(unpaid.getString("status")).isEqualTo("UNPAID");
    assertThat(
            app.ok("listMandates", 200, app.get("/v1/bills/mandates?status=CANCELLED"))
                .getJsonArray("data"))
        .hasSize(1);
  }
}
