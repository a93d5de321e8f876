package io.scenebank.gateway.bills.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.scenebank.gateway.bills.connector.BillerConnector.Confirmed;
import io.scenebank.gateway.bills.connector.BillerConnector.DueBill;
import io.scenebank.gateway.bills.connector.BillerConnector.Dues;
import io.scenebank.gateway.bills.connector.BillerConnector.Inquiry;
import io.scenebank.gateway.bills.connector.BillerConnector.NoDues;
import io.scenebank.gateway.bills.connector.BillerConnector.Rejected;
import io.scenebank.gateway.bills.connector.BillerConnector.Undecided;
import io.scenebank.gateway.bills.connector.BillerConnector.UnknownAccount;
import io.scenebank.gateway.bills.connector.BillerConnector.WriteOff;
import io.scenebank.gateway.bills.connector.BillerConnector.WriteOffRequest;
import io.scenebank.gateway.bills.connector.BillerException.Kind;
import io.scenebank.gateway.bills.connector.CircuitBreaker.State;
import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.UrlPolicy;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.log.RequestContext;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.scenebank.gateway.testing.LogCapture;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP/JSON connector against WireMock playing a biller. */
class HttpJsonConnectorTest {

  private static final GatewayMetrics METRICS = new GatewayMetrics();

  private static final UrlPolicy SANDBOX_URLS = new UrlPolicy(Mode.SANDBOX);

  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final Duration OPEN = Duration.ofSeconds(30);
  private static final String TOKEN = "s3cr3t-biller-token";
  private static final String ACCOUNT = "6222020000001234";
  private static final String INQUIRIES = "/api/v1/inquiries";
  private static final String WRITE_OFFS = "/api/v1/write-offs";

  private static WireMockServer biller;
  private static Vertx vertx;
  private static HttpClient client;

  private final AtomicLong now = new AtomicLong();
  private CircuitBreaker breaker;

  @BeforeAll
  static void start() throws Exception {
    RequestContext.init(); // context locals are registered before the first Vert.x instance
    biller = new WireMockServer(wireMockConfig().dynamicPort());
    biller.start();
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions());
    // the first exchange loads classes on both sides: keep it out of the 300 ms the tests allow
    biller.stubFor(post(INQUIRIES).willReturn(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}")));
    await(
        new HttpJsonConnector(
                vertx,
                client,
                URI.create(biller.baseUrl() + "/api/v1"),
                SANDBOX_URLS,
                BillerCredentials.none(),
                Duration.ofSeconds(5),
                0,
                new CircuitBreaker("warm-up", 1, OPEN),
                METRICS)
            .inquire(ACCOUNT));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    if (biller != null) {
      biller.stop();
    }
  }

  @BeforeEach
  void reset() {
    biller.resetAll();
    breaker = new CircuitBreaker("water", 100, OPEN, now::get);
  }

  private HttpJsonConnector connector(int maxRetries) {
    return connector(TOKEN, maxRetries);
  }

  private HttpJsonConnector connector(String credentials, int maxRetries) {
    return new HttpJsonConnector(
        vertx,
        client,
        URI.create(biller.baseUrl() + "/api/v1/"),
        SANDBOX_URLS,
        credentials == null ? BillerCredentials.none() : BillerCredentials.bearer(credentials),
        TIMEOUT,
        maxRetries,
        breaker,
        METRICS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static BillerException failure(Future<?> future) throws Exception {
    try {
      Object result = await(future);
      return fail("expected a BillerException, got " + result);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(BillerException.class);
      return (BillerException) e.getCause();
    }
  }

  private static void answerInquiries(ResponseDefinitionBuilder answer) {
    biller.stubFor(post(INQUIRIES).willReturn(answer));
  }

  private static void answerWriteOffs(ResponseDefinitionBuilder answer) {
    biller.stubFor(post(WRITE_OFFS).willReturn(answer));
  }

  private static void assertInquiries(int count) {
    biller.verify(count, postRequestedFor(urlEqualTo(INQUIRIES)));
  }

  private static WriteOffRequest billPayment(String paymentId) {
    return new WriteOffRequest(paymentId, ACCOUNT, "B202610-0042", "2026-10", 8650);
  }

  // --- inquiry ---

  @Test
  void duesAreReadExactlyOldestFirst() throws Exception {
    biller.stubFor(
        post(INQUIRIES)
            .withRequestBody(equalToJson("{\"account_number\": \"" + ACCOUNT + "\"}"))
            .willReturn(
                okJson(
                    """
                    {"status": "DUES", "account_holder_masked": "王*", "extra": {"ignored": true},
                     "bills": [
                       {"bill_ref": "B202610-0042", "period": "2026-10", "amount": 8650,
                        "due_date": "2026-11-30"},
                       {"bill_ref": "B202609-0007", "period": "2026-09", "amount": 12001,
                        "due_date": "2026-10-31", "note": "ignored"}
                     ]}
                    """)));

    Inquiry inquiry = await(connector(0).inquire(ACCOUNT));

    assertThat(inquiry)
        .isEqualTo(
            new Dues(
                "王*",
                List.of(
                    new DueBill("B202609-0007", "2026-09", 12001, LocalDate.of(2026, 10, 31)),
                    new DueBill("B202610-0042", "2026-10", 8650, LocalDate.of(2026, 11, 30)))));
    assertInquiries(1);
  }

  @Test
  void noDuesAndUnknownAccount() throws Exception {
    biller.stubFor(
        post(INQUIRIES)
            .withRequestBody(matchingJsonPath("$.account_number", equalTo("111")))
            .willReturn(okJson("{\"status\": \"NO_DUES\", \"account_holder_masked\": \"*明\"}")));
    biller.stubFor(
        post(INQUIRIES)
            .withRequestBody(matchingJsonPath("$.account_number", equalTo("222")))
            .willReturn(okJson("{\"status\": \"NO_DUES\", \"bills\": []}")));
    biller.stubFor(
        post(INQUIRIES)
            .withRequestBody(matchingJsonPath("$.account_number", equalTo("333")))
            .willReturn(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}")));
    HttpJsonConnector connector = connector(0);

    assertThat(await(connector.inquire("111"))).isEqualTo(new NoDues("*明"));
    assertThat(await(connector.inquire("222"))).isEqualTo(new NoDues(null));
    assertThat(await(connector.inquire("333"))).isEqualTo(new UnknownAccount());
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void everyRequestCarriesTheProtocolHeadersAndItsOwnRequestId() throws Exception {
    answerInquiries(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}"));
    biller.stubFor(get(WRITE_OFFS + "/pay_1").willReturn(okJson("{\"status\": \"PENDING\"}")));
    HttpJsonConnector connector = connector(0);

    await(connector.inquire(ACCOUNT));
    await(connector.inquire(ACCOUNT));
    await(connector.status("pay_1"));

    String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    biller.verify(
        2,
        postRequestedFor(urlEqualTo(INQUIRIES))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("X-Request-Id", matching(uuid)));
    biller.verify(
        1,
        getRequestedFor(urlEqualTo(WRITE_OFFS + "/pay_1"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("X-Request-Id", matching(uuid)));
    List<String> ids =
        biller.getAllServeEvents().stream()
            .map(e -> e.getRequest().getHeader("X-Request-Id"))
            .toList();
    assertThat(ids).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void noAuthorizationWithoutCredentials() throws Exception {
    answerInquiries(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}"));

    await(connector(null, 0).inquire(ACCOUNT));

    biller.verify(1, postRequestedFor(urlEqualTo(INQUIRIES)).withHeader("Authorization", absent()));
  }

  // --- timeouts, unavailability and retries ---

  @Test
  void aSlowBillerTimesOut() throws Exception {
    answerInquiries(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}").withFixedDelay(1500));

    long start = System.nanoTime();
    BillerException e = failure(connector(0).inquire(ACCOUNT));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(elapsedMs).isBetween(250L, 1200L);
    assertInquiries(1);
  }

  @Test
  void inquiryIsTriedAgainAfterA503() throws Exception {
    biller.stubFor(
        post(INQUIRIES)
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(serviceUnavailable())
            .willSetStateTo("up"));
    biller.stubFor(
        post(INQUIRIES)
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okJson("{\"status\": \"NO_DUES\", \"account_holder_masked\": \"王*\"}")));

    assertThat(await(connector(2).inquire(ACCOUNT))).isEqualTo(new NoDues("王*"));
    assertInquiries(2);
    List<LoggedRequest> requests = biller.findAll(postRequestedFor(urlEqualTo(INQUIRIES)));
    assertThat(requests.get(0).getHeader("X-Request-Id"))
        .isNotEqualTo(requests.get(1).getHeader("X-Request-Id"));
  }

  @Test
  void statusIsTriedAgainAfterATimeout() throws Exception {
    String url = WRITE_OFFS + "/pay_slow";
    biller.stubFor(
        get(url)
            .inScenario("slow")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson("{\"status\": \"PENDING\"}").withFixedDelay(1000))
            .willSetStateTo("fast"));
    biller.stubFor(
        get(url)
            .inScenario("slow")
            .whenScenarioStateIs("fast")
            .willReturn(okJson("{\"status\": \"CONFIRMED\", \"biller_reference\": \"WR-9\"}")));

    assertThat(await(connector(1).status("pay_slow"))).isEqualTo(new Confirmed("WR-9"));
    biller.verify(2, getRequestedFor(urlEqualTo(url)));
  }

  @Test
  void exhaustedRetriesAreUnavailable() throws Exception {
    answerInquiries(serviceUnavailable());

    BillerException e = failure(connector(2).inquire(ACCOUNT));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("503");
    assertInquiries(3);
  }

  @Test
  void clientErrorsAreUnavailableAndA404OnlyMeansSomethingForStatus() throws Exception {
    answerInquiries(aResponse().withStatus(401));
    biller.stubFor(post(WRITE_OFFS).willReturn(notFound()));

    assertThat(failure(connector(0).inquire(ACCOUNT)).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(failure(connector(0).writeOff(billPayment("pay_404"))).kind())
        .isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void writeOffIsNeverTriedAgain() throws Exception {
    answerWriteOffs(serviceUnavailable());

    BillerException e = failure(connector(3).writeOff(billPayment("pay_1")));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    biller.verify(1, postRequestedFor(urlEqualTo(WRITE_OFFS)));
  }

  @Test
  void aTimedOutWriteOffIsNotTriedAgain() throws Exception {
    answerWriteOffs(
        okJson("{\"status\": \"CONFIRMED\", \"biller_reference\": \"WR-1\"}").withFixedDelay(1000));

    BillerException e = failure(connector(3).writeOff(billPayment("pay_1")));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    biller.verify(1, postRequestedFor(urlEqualTo(WRITE_OFFS)));
  }

  @Test
  void inProduction_aBillerUrlMustBeHttpsToAPublicAddress() {
    UrlPolicy production = new UrlPolicy(Mode.PRODUCTION);
    for (String url :
        new String[] {
          biller.baseUrl(),
          "https://127.0.0.1/api",
          "https://[::127.0.0.1]/api",
          "https://[64:ff9b::a9fe:a9fe]/api",
          "https://169.254.169.254/latest"
        }) {
      assertThatThrownBy(
              () ->
                  new HttpJsonConnector(
                      vertx,
                      client,
                      URI.create(url),
                      production,
                      BillerCredentials.bearer(TOKEN),
                      TIMEOUT,
                      0,
                      breaker,
                      METRICS))
          .as(url)
          .isInstanceOf(Problem.class);
    }
  }

  @Test
  void aNameThatResolvesToAForbiddenAddress_isNeverConnectedTo() throws Exception {
    // "localhost" passes the registration check (a name), and is refused before connecting
    HttpJsonConnector connector =
        new HttpJsonConnector(
            vertx,
            client,
            URI.create("https://localhost:" + biller.port() + "/api"),
            new UrlPolicy(Mode.PRODUCTION),
            BillerCredentials.bearer(TOKEN),
            TIMEOUT,
            0,
            breaker,
            METRICS);
    assertThat(failure(connector.inquire(ACCOUNT)).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(biller.getAllServeEvents()).isEmpty();
  }

  /** A connector configuration with OAuth 2.0 client credentials at WireMock's token endpoint. */
  private static JsonObject oauth2Config(String billerId, String secretRef) {
    return new JsonObject()
        .put("biller_id", billerId)
        .put("base_url", biller.baseUrl() + "/api/v1")
        .put("max_retries", 0)
        .put(
            "oauth2",
            new JsonObject()
                .put("token_url", biller.baseUrl() + "/oauth/token")
                .put("client_id", "scenebank-gateway")
                .put("client_secret_ref", secretRef));
  }

  @Test
  void oauth2ClientCredentials_getATokenOnce_andSendItOnEveryCall() throws Exception {
    biller.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(
                okJson(
                    "{\"access_token\": \"at-1\", \"token_type\": \"Bearer\","
                        + " \"expires_in\": 3600}")));
    biller.stubFor(
        post(INQUIRIES)
            .withHeader("Authorization", equalTo("Bearer at-1"))
            .willReturn(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}")));
    HttpConnectors connectors =
        new HttpConnectors(
            vertx,
            SANDBOX_URLS,
            name -> name.equals("SCENEBANK_BILLER_SECRET_WATER_CLIENT") ? "client-secret" : null,
            METRICS);
    JsonObject config = oauth2Config("blr_oauth", "SCENEBANK_BILLER_SECRET_WATER_CLIENT");
    config.getJsonObject("oauth2").put("scope", "bills.read bills.pay");
    try {
      BillerConnector connector = connectors.connector(config);
      await(connector.inquire(ACCOUNT));
      await(connector.inquire(ACCOUNT));

      // the token was asked for once, with the client credentials grant and the client's secret
      String basic =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      "scenebank-gateway:client-secret"
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      biller.verify(
          1,
          postRequestedFor(urlEqualTo("/oauth/token"))
              .withHeader("Authorization", equalTo(basic))
              .withRequestBody(matching(".*grant_type=client_credentials.*")));
      biller.verify(
          2,
          postRequestedFor(urlEqualTo(INQUIRIES))
              .withHeader("Authorization", equalTo("Bearer at-1")));
      // measured: two calls that went well, the biller's breaker closed
      assertThat(
              METRICS
                  .registry()
                  .get("scenebank_biller_calls")
                  .tags("biller", "blr_oauth", "outcome", "ok")
                  .counter()
                  .count())
          .isEqualTo(2.0);
      assertThat(
              METRICS
                  .registry()
                  .get("scenebank_biller_breaker_state")
                  .tag("biller", "blr_oauth")
                  .gauge()
                  .value())
          .isZero();
    } finally {
      connectors.close();
    }
  }

  @Test
  void oauth2_aTokenEndpointThatRefuses_failsTheCall_beforeTheBillerIsCalled() throws Exception {
    biller.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    // a careless endpoint that echoes what it got
                    .withBody(
                        "{\"error\": \"invalid_client\","
                            + " \"error_description\": \"bad secret wrong-secret\"}")));
    HttpConnectors connectors =
        new HttpConnectors(vertx, SANDBOX_URLS, name -> "wrong-secret", METRICS);
    JsonObject config = oauth2Config("blr_oauth_refused", "SCENEBANK_BILLER_SECRET_WATER_CLIENT");
    try {
      BillerException e = failure(connectors.connector(config).inquire(ACCOUNT));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("token endpoint").doesNotContain("wrong-secret");
      biller.verify(0, postRequestedFor(urlEqualTo(INQUIRIES)));
    } finally {
      connectors.close();
    }
  }

  @Test
  void credentialsComeOnlyFromVariablesNamedForBillers() {
    HttpConnectors connectors =
        new HttpConnectors(
            vertx,
            SANDBOX_URLS,
            name -> {
              throw new AssertionError("looked up " + name);
            },
            METRICS);
    JsonObject config =
        new JsonObject()
            .put("biller_id", "blr_x")
            .put("base_url", biller.baseUrl())
            .put("credentials_ref", "SCENEBANK_MASTER_KEY");
    assertThatThrownBy(() -> connectors.connector(config))
        .hasMessageContaining(HttpConnectors.SECRET_PREFIX);
    // an OAuth 2.0 client secret too
    assertThatThrownBy(() -> connectors.connector(oauth2Config("blr_oauth_env", "DATABASE_URL")))
        .hasMessageContaining(HttpConnectors.SECRET_PREFIX);
    connectors.close();
  }

  @Test
  void aClosedPortIsUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    HttpJsonConnector closed =
        new HttpJsonConnector(
            vertx,
            client,
            URI.create("http://127.0.0.1:" + port),
            SANDBOX_URLS,
            BillerCredentials.bearer(TOKEN),
            TIMEOUT,
            1,
            breaker,
            METRICS);

    BillerException e = failure(closed.inquire(ACCOUNT));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getCause()).isNotNull();
  }

  // --- malformed answers ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "",
        "[]",
        "{}",
        "{\"bills\": []}",
        "{\"status\": 1}",
        "{\"status\": \"MAYBE\"}",
        "{\"status\": \"DUES\"}",
        "{\"status\": \"DUES\", \"bills\": []}",
        "{\"status\": \"DUES\", \"bills\": {}}",
        "{\"status\": \"DUES\", \"bills\": [1]}",
        "{\"status\": \"NO_DUES\", \"account_holder_masked\": 7}",
        "{\"status\": \"NO_DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 1, \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"period\": \"2026-10\", \"amount\": 8650,"
            + " \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": \"8650\", \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 86.5, \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": -8650, \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 0, \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 99999999999999999999999, \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 8650, \"due_date\": \"2026-02-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 8650, \"due_date\": \"2026/11/30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 8650}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP\","
            + " \"amount\": 8650, \"due_date\": \"2026-11-30\"}]}",
        "{\"status\": \"DUES\", \"bills\": [{\"bill_ref\": \"B1\", \"period\": \"2026-10\","
            + " \"amount\": 1, \"due_date\": \"2026-11-30\"}, {\"bill_ref\": \"B1\","
            + " \"period\": \"2026-11\", \"amount\": 2, \"due_date\": \"2026-12-31\"}]}"
      })
  void malformedInquiryAnswersAreNotTriedAgain(String answer) throws Exception {
    answerInquiries(
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "application/json")
            .withBody(answer));

    BillerException e = failure(connector(2).inquire(ACCOUNT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertInquiries(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"status\": \"CONFIRMED\"}",
        "{\"status\": \"CONFIRMED\", \"biller_reference\": 42}",
        "{\"status\": \"CONFIRMED\", \"biller_reference\": \" \"}",
        "{\"status\": \"REJECTED\", \"message\": [\"no\"]}",
        "{\"status\": \"DONE\"}",
        "{\"biller_reference\": \"WR-1\"}"
      })
  void malformedWriteOffAnswers(String answer) throws Exception {
    answerWriteOffs(okJson(answer));

    BillerException e = failure(connector(0).writeOff(billPayment("pay_1")));
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void a2xxOtherThan200IsMalformedAndAHugeAnswerToo() throws Exception {
    answerInquiries(aResponse().withStatus(204));
    assertThat(failure(connector(0).inquire(ACCOUNT)).kind()).isEqualTo(Kind.MALFORMED);

    answerInquiries(
        okJson(
            "{\"status\": \"NO_DUES\", \"pad\": \""
                + "x".repeat(HttpJsonConnector.MAX_ANSWER_BYTES)
                + "\"}"));
    BillerException e = failure(connector(0).inquire(ACCOUNT));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.getMessage()).contains("larger than");
  }

  // --- write-off and status ---

  @Test
  void writeOffSendsTheProtocolBodyAndReadsTheAnswers() throws Exception {
    biller.stubFor(
        post(WRITE_OFFS)
            .withRequestBody(
                equalToJson(
                    """
                    {"payment_id": "pay_bill", "account_number": "6222020000001234",
                     "bill_ref": "B202610-0042", "period": "2026-10", "amount": 8650}
                    """))
            .willReturn(
                okJson("{\"status\": \"CONFIRMED\", \"biller_reference\": \"WR-2026-0001\"}")));
    biller.stubFor(
        post(WRITE_OFFS)
            .withRequestBody(
                equalToJson(
                    """
                    {"payment_id": "pay_free", "account_number": "6222020000001234",
                     "bill_ref": null, "period": null, "amount": 5000}
                    """))
            .willReturn(okJson("{\"status\": \"REJECTED\", \"message\": \"账户已销户\"}")));
    biller.stubFor(
        post(WRITE_OFFS)
            .withRequestBody(matchingJsonPath("$.payment_id", equalTo("pay_later")))
            .willReturn(okJson("{\"status\": \"PENDING\"}")));
    HttpJsonConnector connector = connector(0);

    assertThat(await(connector.writeOff(billPayment("pay_bill"))))
        .isEqualTo(new Confirmed("WR-2026-0001"));
    assertThat(
            await(connector.writeOff(new WriteOffRequest("pay_free", ACCOUNT, null, null, 5000))))
        .isEqualTo(new Rejected("账户已销户"));
    assertThat(
            await(connector.writeOff(new WriteOffRequest("pay_later", ACCOUNT, null, null, 5000))))
        .isEqualTo(new Undecided());
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aDuplicateWriteOffGetsTheSameConfirmation() throws Exception {
    String confirmed = "{\"status\": \"CONFIRMED\", \"biller_reference\": \"WR-77\"}";
    biller.stubFor(
        post(WRITE_OFFS)
            .withRequestBody(matchingJsonPath("$.payment_id", equalTo("pay_dup")))
            .willReturn(okJson(confirmed)));
    biller.stubFor(get(WRITE_OFFS + "/pay_dup").willReturn(okJson(confirmed)));
    HttpJsonConnector connector = connector(0);

    WriteOff first = await(connector.writeOff(billPayment("pay_dup")));
    WriteOff second = await(connector.writeOff(billPayment("pay_dup")));
    WriteOff status = await(connector.status("pay_dup"));

    assertThat(first).isEqualTo(new Confirmed("WR-77"));
    assertThat(second).isEqualTo(first);
    assertThat(status).isEqualTo(first);
    List<LoggedRequest> sent = biller.findAll(postRequestedFor(urlEqualTo(WRITE_OFFS)));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).getBodyAsString()).isEqualTo(sent.get(1).getBodyAsString());
    assertThat(sent.get(0).getHeader("X-Request-Id"))
        .isNotEqualTo(sent.get(1).getHeader("X-Request-Id"));
  }

  @Test
  void statusAnswers() throws Exception {
    biller.stubFor(
        get(WRITE_OFFS + "/pay_ok")
            .willReturn(okJson("{\"status\": \"CONFIRMED\", \"biller_reference\": \"WR-1\"}")));
    biller.stubFor(
        get(WRITE_OFFS + "/pay_no")
            .willReturn(okJson("{\"status\": \"REJECTED\", \"message\": \"金额不符\"}")));
    biller.stubFor(get(WRITE_OFFS + "/pay_wait").willReturn(okJson("{\"status\": \"PENDING\"}")));
    biller.stubFor(get(WRITE_OFFS + "/pay_unknown").willReturn(notFound()));
    biller.stubFor(
        get(WRITE_OFFS + "/pay%2F1%20%E7%94%B5").willReturn(okJson("{\"status\": \"PENDING\"}")));
    HttpJsonConnector connector = connector(2);

    assertThat(await(connector.status("pay_ok"))).isEqualTo(new Confirmed("WR-1"));
    assertThat(await(connector.status("pay_no"))).isEqualTo(new Rejected("金额不符"));
    assertThat(await(connector.status("pay_wait"))).isEqualTo(new Undecided());
    assertThat(await(connector.status("pay_unknown"))).isEqualTo(new Undecided());
    assertThat(await(connector.status("pay/1 电"))).isEqualTo(new Undecided());
    biller.verify(1, getRequestedFor(urlEqualTo(WRITE_OFFS + "/pay_unknown"))); // not retried
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  // --- circuit breaker ---

  @Test
  void anOpenBreakerKeepsCallsAwayFromTheBillerUntilATrialSucceeds() throws Exception {
    breaker = new CircuitBreaker("water", 3, OPEN, now::get);
    HttpJsonConnector connector = connector(0);
    answerInquiries(serviceUnavailable());

    for (int i = 0; i < 3; i++) {
      assertThat(failure(connector.inquire(ACCOUNT)).kind()).isEqualTo(Kind.UNAVAILABLE);
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    for (int i = 0; i < 5; i++) {
      BillerException e = failure(connector.inquire(ACCOUNT));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("circuit open");
    }
    assertThat(failure(connector.writeOff(billPayment("pay_1"))).getMessage())
        .contains("circuit open");
    assertThat(failure(connector.status("pay_1")).getMessage()).contains("circuit open");
    assertInquiries(3);
    assertThat(biller.getAllServeEvents()).hasSize(3);

    // after the open duration one trial goes through; it fails, and the breaker opens again
    now.addAndGet(OPEN.toNanos());
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(failure(connector.inquire(ACCOUNT)).getMessage()).contains("503");
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(failure(connector.inquire(ACCOUNT)).getMessage()).contains("circuit open");
    assertInquiries(4);

    // the biller is back: the next trial succeeds and closes the breaker
    answerInquiries(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}"));
    now.addAndGet(OPEN.toNanos());
    assertThat(await(connector.inquire(ACCOUNT))).isEqualTo(new UnknownAccount());
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(await(connector.inquire(ACCOUNT))).isEqualTo(new UnknownAccount());
    assertInquiries(6);
  }

  @Test
  void anOpeningBreakerStopsRetries() throws Exception {
    breaker = new CircuitBreaker("water", 2, OPEN, now::get);
    answerInquiries(serviceUnavailable());

    BillerException e = failure(connector(5).inquire(ACCOUNT));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("circuit open");
    assertThat(e.getCause()).isInstanceOf(BillerException.class);
    assertThat(e.getCause().getMessage()).contains("503");
    assertInquiries(2);
  }

  @Test
  void malformedAnswersCountAsFailuresAndBusinessAnswersAsSuccesses() throws Exception {
    breaker = new CircuitBreaker("water", 2, OPEN, now::get);
    HttpJsonConnector connector = connector(0);
    biller.stubFor(
        post(INQUIRIES)
            .withRequestBody(matchingJsonPath("$.account_number", equalTo("bad")))
            .willReturn(okJson("{\"status\": \"WHATEVER\"}")));
    biller.stubFor(
        post(INQUIRIES)
            .withRequestBody(matchingJsonPath("$.account_number", equalTo("unknown")))
            .willReturn(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}")));
    answerWriteOffs(okJson("{\"status\": \"REJECTED\", \"message\": \"no\"}"));

    assertThat(failure(connector.inquire("bad")).kind()).isEqualTo(Kind.MALFORMED);
    assertThat(await(connector.inquire("unknown"))).isEqualTo(new UnknownAccount());
    assertThat(failure(connector.inquire("bad")).kind()).isEqualTo(Kind.MALFORMED);
    assertThat(await(connector.writeOff(billPayment("pay_1")))).isEqualTo(new Rejected("no"));
    assertThat(failure(connector.inquire("bad")).kind()).isEqualTo(Kind.MALFORMED);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(failure(connector.inquire("bad")).kind()).isEqualTo(Kind.MALFORMED);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  // --- context and logs ---

  @Test
  void resultsCompleteOnTheCallersContext() throws Exception {
    biller.stubFor(
        post(INQUIRIES)
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(serviceUnavailable())
            .willSetStateTo("up"));
    biller.stubFor(
        post(INQUIRIES)
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okJson("{\"status\": \"UNKNOWN_ACCOUNT\"}")));
    biller.stubFor(get(WRITE_OFFS + "/pay_1").willReturn(notFound()));
    HttpJsonConnector connector = connector(1);
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Boolean> inquiryOnCaller = new CompletableFuture<>();
    CompletableFuture<Boolean> statusOnCaller = new CompletableFuture<>();

    caller.runOnContext(
        v -> {
          connector
              .inquire(ACCOUNT)
              .onComplete(ar -> inquiryOnCaller.complete(ar.succeeded() && onCaller(caller)));
          connector
              .status("pay_1")
              .onComplete(ar -> statusOnCaller.complete(ar.succeeded() && onCaller(caller)));
        });

    assertThat(inquiryOnCaller.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(statusOnCaller.get(5, TimeUnit.SECONDS)).isTrue();
    assertInquiries(2);
  }

  @Test
  void resultsCompleteOnAWorkerCallersContext() throws Exception {
    answerInquiries(serviceUnavailable());
    biller.stubFor(get(WRITE_OFFS + "/pay_1").willReturn(notFound()));
    HttpJsonConnector connector = connector(1);
    CompletableFuture<Context> worker = new CompletableFuture<>();
    String deployment =
        await(
            vertx.deployVerticle(
                new AbstractVerticle() {
                  @Override
                  public void start() {
                    worker.complete(context);
                  }
                },
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    try {
      Context caller = worker.get(5, TimeUnit.SECONDS);
      CompletableFuture<Boolean> inquiryOnCaller = new CompletableFuture<>();
      CompletableFuture<Boolean> statusOnCaller = new CompletableFuture<>();

      caller.runOnContext(
          v -> {
            connector
                .inquire(ACCOUNT)
                .onComplete(
                    ar ->
                        inquiryOnCaller.complete(
                            ar.failed()
                                && Vertx.currentContext() == caller
                                && Context.isOnWorkerThread()));
            connector
                .status("pay_1")
                .onComplete(
                    ar ->
                        statusOnCaller.complete(
                            ar.succeeded()
                                && Vertx.currentContext() == caller
                                && Context.isOnWorkerThread()));
          });

      assertThat(inquiryOnCaller.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(statusOnCaller.get(5, TimeUnit.SECONDS)).isTrue();
      assertInquiries(2);
    } finally {
      await(vertx.undeploy(deployment));
    }
  }

  private static boolean onCaller(Context caller) {
    return Vertx.currentContext() == caller && Context.isOnEventLoopThread();
  }

  @Test
  void neitherCredentialsNorAccountNumbersReachTheLogsOrTheErrors() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      answerInquiries(okJson("{\"status\": \"DUES\", \"bills\": \"" + ACCOUNT + "\"}"));
      BillerException malformed = failure(connector(0).inquire(ACCOUNT));
      answerInquiries(okJson("oops " + ACCOUNT));
      BillerException notJson = failure(connector(0).inquire(ACCOUNT));
      answerInquiries(serviceUnavailable().withBody(ACCOUNT + " " + TOKEN));
      BillerException unavailable = failure(connector(0).inquire(ACCOUNT));

      logs.await(line -> line.contains("biller call failed") && line.contains("503"));
      assertThat(logs.lines()).filteredOn(l -> l.contains("biller call failed")).hasSize(3);
      for (BillerException e : List.of(malformed, notJson, unavailable)) {
        assertThat(e.getMessage()).doesNotContain(ACCOUNT).doesNotContain(TOKEN);
        assertThat(e.getCause()).isNull();
      }
      assertThat(String.join("", logs.lines())).doesNotContain(ACCOUNT).doesNotContain(TOKEN);
    }
  }
}
