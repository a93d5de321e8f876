package io.scenebank.gateway.bills;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A biller added by the bank's operators, whose system (WireMock here) the gateway reaches over
 * HTTP/JSON: inquiries, write-offs, slow and failing answers.
 */
class HttpBillerTest {

  private static final String PAYER = "acc_5Tn9Qx2KmR7vL4pWb8Zc";

  private final WireMockServer biller = new WireMockServer(wireMockConfig().dynamicPort());
  private final TestApp operator = TestApp.operator();
  private final Partner app = new Partner("bills", "sandbox");
  private String billerId;
  private JsonObject definition;

  @BeforeEach
  void setUp() {
    biller.start();
    definition =
        new JsonObject()
            .put("name", "测试热力公司 " + UUID.randomUUID().toString().substring(0, 8))
            .put("category", "HEATING")
            .put("region", "320400")
            .put("region_name", "江苏省常州市")
            .put(
                "account_number_format",
                new JsonObject()
                    .put("regex", "^RL[0-9]{6}$")
                    .put("example", "RL123456")
                    .put("description", "供暖户号"))
            .put("amount_rule", "EXACT")
            .put("min_amount", Partner.money(1))
            .put("max_amount", Partner.money(1_000_000))
            .put("inquiry_required", true)
            .put("supports_mandates", false)
            .put(
                "connector",
                new JsonObject()
                    .put("type", "HTTP_JSON")
                    .put("base_url", "http://localhost:" + biller.port() + "/biller")
                    .put("timeout_ms", 500)
                    .put("max_retries", 1)
                    .put("confirmation_deadline_seconds", 60));
    Http.Response created =
        operator.request("POST", "/v1/operator/billers").body(definition.encode()).send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    billerId = assertResponseMatches("createBiller", created).getString("id");
    biller.stubFor(
        post(urlEqualTo("/biller/inquiries"))
            .willReturn(
                okJson(
                    "{\"status\":\"DUES\",\"account_holder_masked\":\"陈*\",\"bills\":[{\"bill_ref\":"
                        + "\"HT-2026-11\",\"period\":\"2026-11\",\"amount\":32000,\"due_date\":"
                        + "\"2026-12-20\"}]}")));
  }

  @AfterEach
  void tearDown() {
    biller.stop();
    assertLedgerBalanced();
  }

  private String billId() {
    JsonObject inquiry =
        app.ok(
            "inquireBills",
            200,
            app.post(
                "/v1/bills/inquiries",
                new JsonObject().put("biller_id", billerId).put("account_number", "RL000001")));
    assertThat(inquiry.getString("account_holder_masked")).isEqualTo("陈*");
    return inquiry.getJsonArray("bills").getJsonObject(0).getString("id");
  }

  private Http.Response pay(String billId) {
    return app.post(
        "/v1/bills/payments",
        new JsonObject()
            .put("biller_id", billerId)
            .put("account_number", "RL000001")
            .put("bill_id", billId)
            .put("amount", Partner.money(32_000))
            .put("payer", new JsonObject().put("account_id", PAYER))
            .put("channel_reference", "ORD-" + UUID.randomUUID()));
  }

  @Test
  void aConfirmedWriteOff_succeeds() {
    biller.stubFor(
        post(urlEqualTo("/biller/write-offs"))
            .willReturn(okJson("{\"status\":\"CONFIRMED\",\"biller_reference\":\"HT-WO-778\"}")));
    JsonObject paid = app.ok("createBillPayment", 201, pay(billId()));
    assertThat(paid.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(paid.getString("biller_reference")).isEqualTo("HT-WO-778");
    biller.verify(
        1,
        postRequestedFor(urlEqualTo("/biller/write-offs"))
            .withRequestBody(matchingJsonPath("$.payment_id", equalTo(paid.getString("id"))))
            .withRequestBody(matchingJsonPath("$.bill_ref", equalTo("HT-2026-11")))
            .withRequestBody(matchingJsonPath("$.amount", equalTo("32000"))));
  }

  @Test
  void aSlowWriteOff_staysPending_untilTheStatusQueryConfirmsIt() {
    biller.stubFor(
        post(urlEqualTo("/biller/write-offs"))
            .willReturn(
                okJson("{\"status\":\"CONFIRMED\",\"biller_reference\":\"late\"}")
                    .withFixedDelay(1500)));
    biller.stubFor(
        get(urlPathMatching("/biller/write-offs/.*"))
            .willReturn(okJson("{\"status\":\"CONFIRMED\",\"biller_reference\":\"HT-WO-901\"}")));
    JsonObject pending = app.ok("createBillPayment", 201, pay(billId()));
    assertThat(pending.getString("status")).isEqualTo("PENDING");
    app.advanceSeconds(1); // runs the due work now: the status query
    JsonObject confirmed =
        app.ok("getBillPayment", 200, app.get("/v1/bills/payments/" + pending.getString("id")));
    assertThat(confirmed.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(confirmed.getString("biller_reference")).isEqualTo("HT-WO-901");
  }

  @Test
  void aRejectingBiller_reverses_andAMalformedOneReversesAtTheDeadline() {
    biller.stubFor(
        post(urlEqualTo("/biller/write-offs"))
            .willReturn(okJson("{\"status\":\"REJECTED\",\"message\":\"account closed\"}")));
    String billId = billId();
    JsonObject rejected = app.ok("createBillPayment", 201, pay(billId));
    assertThat(rejected.getString("status")).isEqualTo("REVERSED");
    assertThat(rejected.getString("reversal_reason")).isEqualTo("BILLER_REJECTED");
    assertThat(rejected.getString("reversal_detail")).isEqualTo("account closed");

    biller.stubFor(post(urlEqualTo("/biller/write-offs")).willReturn(okJson("{\"status\":42}")));
    biller.stubFor(get(urlPathMatching("/biller/write-offs/.*")).willReturn(okJson("<html>")));
    JsonObject pending = app.ok("createBillPayment", 201, pay(billId));
    assertThat(pending.getString("status")).isEqualTo("PENDING");
    app.advanceSeconds(61);
    JsonObject reversed =
        app.ok("getBillPayment", 200, app.get("/v1/bills/payments/" + pending.getString("id")));
    assertThat(reversed.getString("status")).isEqualTo("REVERSED");
    assertThat(reversed.getString("reversal_reason")).isEqualTo("BILLER_ERROR");
  }

  @Test
  void aFailingBiller_isUnavailable_andASlowOneTimesOut() {
    biller.stubFor(post(urlEqualTo("/biller/inquiries")).willReturn(aResponse().withStatus(503)));
    JsonObject inquiry =
        new JsonObject().put("biller_id", billerId).put("account_number", "RL000001");
    assertProblem(app.post("/v1/bills/inquiries", inquiry), 502, "biller_unavailable");
    // one try and one retry
    biller.verify(2, postRequestedFor(urlEqualTo("/biller/inquiries")));
    biller.stubFor(
        post(urlEqualTo("/biller/inquiries"))
            .willReturn(okJson("{\"status\":\"NO_DUES\"}").withFixedDelay(2000)));
    assertProblem(app.post("/v1/bills/inquiries", inquiry), 504, "biller_timeout");
    biller.stubFor(post(urlEqualTo("/biller/inquiries")).willReturn(okJson("[1,2]")));
    assertProblem(app.post("/v1/bills/inquiries", inquiry), 502, "biller_unavailable");
  }

  @Test
  void operators_manageTheDirectory() {
    Http.Response exists =
        operator.request("POST", "/v1/operator/billers").body(definition.encode()).send();
    assertProblem(exists, 409, "biller_exists");
    JsonObject wrong = definition.copy().put("name", "另一个 " + UUID.randomUUID());
    wrong.getJsonObject("account_number_format").put("example", "XX");
    assertProblem(
        operator.request("POST", "/v1/operator/billers").body(wrong.encode()).send(),
        422,
        "invalid_biller_definition");
    JsonObject any =
        definition.copy().put("name", "任意 " + UUID.randomUUID()).put("amount_rule", "ANY");
    assertProblem(
        operator.request("POST", "/v1/operator/billers").body(any.encode()).send(),
        422,
        "invalid_biller_definition");

    JsonObject suspended = definition.copy().put("status", "SUSPENDED");
    JsonObject updated =
        assertResponseMatches(
            "updateBiller",
            operator
                .request("PUT", "/v1/operator/billers/" + billerId)
                .body(suspended.encode())
                .send());
    assertThat(updated.getString("status")).isEqualTo("SUSPENDED");
    assertProblem(
        app.post(
            "/v1/bills/inquiries",
            new JsonObject().put("biller_id", billerId).put("account_number", "RL000001")),
        409,
        "biller_suspended");
    assertProblem(
        operator
            .request("PUT", "/v1/operator/billers/blr_0000000000000000")
            .body(suspended.encode())
            .send(),
        404,
        "not_found");
    // partners cannot manage billers
    assertThat(
            app.app()
                .request("POST", "/v1/operator/billers")
                .body(definition.encode())
                .send()
                .status())
        .isEqualTo(403);
  }
}
