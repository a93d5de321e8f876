package io.scenebank.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.openapi.Contract;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The developer portal in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, installed by {@code .ci/run}) against the shared test gateway: signup, the
 * console's WebCrypto sign-in and signed calls, the reference rendered from the contract, the
 * signature calculator — and no console errors, so the strict CSP holds on every page.
 */
class PortalBrowserTest {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  static Gateway gateway;
  static String portal;
  static ChromeDriver driver;
  static WebDriverWait wait;
  static HttpServer receiver;
  static final AtomicInteger delivered = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)))
        .as("Chromium and its driver are needed: apt-get install chromium chromium-driver")
        .isTrue();
    gateway = TestGateway.shared();
    portal = gateway.issuer() + "/portal/";

    // the webhook endpoint the console registers: answers 200 to everything
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          delivered.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  /** No page of any test may log an error (a CSP violation, a script error, a failed load). */
  @AfterEach
  void noConsoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    assertThat(errors).as("browser console").isEmpty();
  }

  // ------------------------------------------------------------------ signup → console

  @Test
  void signUpWithAGeneratedKey_thenTheConsoleSignsCallsWithIt() {
    driver.get(portal + "signup.html");
    String suffix = Long.toString(System.nanoTime());
    type("#organisation-name", "常州示例医院信息科 " + suffix);
    type("#email", "his-" + suffix + "@hospital.test");
    type("#app-name", "HIS 先诊疗后付费对接");
    click("#mode-generate");
    click("#signup-submit");

    // (a) the credentials, and the private key shown once with a warning and a download
    wait.until(d -> text("#result-client-id").startsWith("app_"));
    String clientId = text("#result-client-id");
    String keyId = text("#result-key-id");
    assertThat(keyId).isNotBlank();
    assertThat(text("#result-algorithm")).isEqualTo("ed25519");
    assertThat(find("#private-key-section").isDisplayed()).isTrue();
    String pem = find("#private-key-pem").getDomProperty("value");
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Keys.publicJwkFromPem(pem, null).thumbprint()).isNotBlank();
    assertThat(text("#private-key-warning")).contains("only time");
    assertThat(find("#download-key").isDisplayed()).isTrue();
    assertThat(script("return sessionStorage.length + localStorage.length")).isEqualTo(0L);

    // (b) on to the console: the key travels in this tab's sessionStorage, read once
    click("#open-console");
    wait.until(d -> d.getCurrentUrl().endsWith("/portal/console.html"));
    wait.until(d -> clientId.equals(find("#signin-client-id").getDomProperty("value")));
    assertThat(find("#signin-key-id").getDomProperty("value")).isEqualTo(keyId);
    assertThat(find("#signin-pem").getDomProperty("value")).isEqualTo(pem);
    assertThat(script("return sessionStorage.length")).isEqualTo(0L);
    click("#signin-submit");

    wait.until(d -> find("#session-card").isDisplayed());
    assertThat(find("#signin-pem").getDomProperty("value")).isEmpty();
    assertThat(text("#session-key")).isEqualTo(keyId + " (ed25519)");
    WebElement key =
        wait.until(d -> first("#keys-table tbody tr[data-kid='" + keyId + "']")); // signed GET
    assertThat(key.getText()).contains("ACTIVE").contains("ed25519");

    // add an endpoint at the local receiver, send it a test webhook, follow the delivery
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    type("#endpoint-url", url);
    type("#endpoint-description", "portal test");
    click("#endpoint-add");
    WebElement endpoint =
        wait.until(d -> first("#endpoints-table tbody tr[data-endpoint-id]")); // signed POST
    assertThat(endpoint.getText()).contains(url).contains("ENABLED");
    String endpointId = endpoint.getDomAttribute("data-endpoint-id");
    click("#endpoints-table button.send-test[data-endpoint-id='" + endpointId + "']");

    WebElement ping = wait.until(d -> first("#events-table tbody tr[data-event-type='test.ping']"));
    String eventId = ping.getDomAttribute("data-event-id");
    assertThat(ping.getDomAttribute("class")).contains("selected");
    assertThat(text("#deliveries-event")).isEqualTo(eventId);
    WebElement attempt =
        wait.until(d -> first("#deliveries-table tbody tr[data-status='SUCCEEDED']"));
    assertThat(attempt.getText()).contains(endpointId).contains("200");
    assertThat(delivered.get()).isPositive();

    // every response was verified (digest and gateway signature), none refused
    assertThat(all("#request-log .entry .verified")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(text("#request-log")).doesNotContain("✗");
  }

  @Test
  void signUpWithAPastedP256PublicJwk_thenSignInWithItsPkcs8Pem() {
    GeneratedKey key =
        Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "p256-" + System.nanoTime());
    driver.get(portal + "signup.html");
    String suffix = Long.toString(System.nanoTime());
    type("#organisation-name", "江南科技园食堂 " + suffix);
    type("#email", "pos-" + suffix + "@canteen.test");
    type("#app-name", "食堂收银");
    new Select(find("#algorithm")).selectByValue("ecdsa-p256-sha256");
    click("#mode-jwk");
    type("#public-jwk", key.publicJwk().toJson());
    click("#signup-submit");

    wait.until(d -> text("#result-client-id").startsWith("app_"));
    String clientId = text("#result-client-id");
    assertThat(text("#result-key-id")).isEqualTo(key.keyId());
    assertThat(text("#result-algorithm")).isEqualTo("ecdsa-p256-sha256");
    assertThat(find("#private-key-section").isDisplayed()).isFalse();

    driver.get(portal + "console.html");
    type("#signin-client-id", clientId);
    type("#signin-key-id", key.keyId());
    type("#signin-pem", key.privateKeyPem());
    click("#signin-submit");

    wait.until(d -> find("#session-card").isDisplayed());
    assertThat(text("#session-thumbprint")).isEqualTo(key.publicJwk().thumbprint());
    WebElement row = wait.until(d -> first("#keys-table tbody tr[data-kid='" + key.keyId() + "']"));
    assertThat(row.getText()).contains("ecdsa-p256-sha256").contains("ACTIVE");
    wait.until(d -> first("#events-table tbody tr"));
    assertThat(text("#request-log")).doesNotContain("✗");
  }

  @Test
  void signInWithTheWrongKey_isRefusedWithTheGatewaysReason() {
    GeneratedKey registered = Keys.generate(SignatureAlgorithm.ED25519, null);
    GeneratedKey other = Keys.generate(SignatureAlgorithm.ED25519, null);
    JsonObject signup =
        new JsonObject()
            .put("organisation_name", "Org " + System.nanoTime())
            .put("email", "it-" + java.util.UUID.randomUUID() + "@org.test")
            .put("app_name", "App")
            .put("algorithm", "ed25519")
            .put("public_key", new JsonObject(registered.publicJwk().toJson()));
    Http.Response response =
        new Http(gateway.port())
            .post("/sandbox/signup", signup.encode(), "Content-Type", "application/json");
    assertThat(response.status()).isEqualTo(201);

    driver.get(portal + "console.html");
    type("#signin-client-id", response.json().getString("client_id"));
    type("#signin-key-id", registered.keyId());
    type("#signin-pem", other.privateKeyPem());
    click("#signin-submit");

    wait.until(d -> text("#signin-status").contains("invalid_client"));
    assertThat(find("#session-card").isDisplayed()).isFalse();
    // the refused token request is the one expected console error of this test (which also
    // shows that the browser's console is collected at all)
    List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
    assertThat(entries)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMessage()).contains("/oauth2/token").contains("401"));
  }

  // ------------------------------------------------------------------ reference

  @Test
  @SuppressWarnings("unchecked")
  void reference_listsEveryOperationOfTheContract_withItsRequestExamples() {
    JsonObject contract = Contract.fromClasspath().document();
    List<String> expected = new ArrayList<>();
    List<String> withRequestExamples = new ArrayList<>();
    for (String section : List.of("paths", "webhooks")) {
      JsonObject items = contract.getJsonObject(section);
      for (String key : items.fieldNames()) {
        JsonObject item = items.getJsonObject(key);
        for (String method : item.fieldNames()) {
          JsonObject operation = item.getJsonObject(method);
          expected.add(operation.getString("operationId"));
          JsonObject content =
              operation.getJsonObject("requestBody", new JsonObject()).getJsonObject("content");
          if (content != null
              && content.stream()
                  .anyMatch(m -> ((JsonObject) m.getValue()).containsKey("examples"))) {
            withRequestExamples.add(operation.getString("operationId"));
          }
        }
      }
    }

    driver.get(portal + "reference.html");

    Map<String, Object> rendered =
        (Map<String, Object>)
            script(
                "const out = {};"
                    + "for (const a of document.querySelectorAll('article.operation')) {"
                    + "  out[a.dataset.operationId] ="
                    + "    a.querySelectorAll('pre.request-example').length; }"
                    + "return out;");
    assertThat(rendered.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(withRequestExamples).isNotEmpty();
    assertThat(
            withRequestExamples.stream()
                .filter(id -> ((Long) rendered.get(id)) == 0L)
                .collect(Collectors.toList()))
        .as("operations whose request examples are missing")
        .isEmpty();

    WebElement consent = find("#op-createConsent");
    assertThat(consent.findElement(By.cssSelector("h3")).getText())
        .contains("POST")
        .contains("/v1/care/consents");
    assertThat(consent.findElement(By.cssSelector("pre.request-example")).getText())
        .contains("\"hospital_patient_ref\"");
    assertThat(consent.findElement(By.cssSelector(".security-note")).getText()).contains("care");
    assertThat(consent.getText())
        .contains("validation_failed")
        .contains("idempotency_key_reused")
        .contains("Idempotency-Key");
    assertThat(find("#op-createCharge").getText()).contains("over_limit");
    assertThat(find("#op-signUp .security-note").getText()).contains("Public");
    assertThat(all("#webhooks article.operation.webhook")).isNotEmpty();
    assertThat(find("#schema-Money").getText()).contains("amount").contains("currency");
  }

  // ------------------------------------------------------------------ signatures

  @Test
  void signatures_recomputesTheContractsWorkedExampleInThePage() {
    String description =
        Contract.fromClasspath().document().getJsonObject("info").getString("description");
    String base = codeBlockAfter(description, "the signature base (lines joined");
    String headers = codeBlockAfter(description, "always gives these headers");
    String signatureHeader =
        headers.lines().filter(l -> l.startsWith("Signature: ")).findFirst().orElseThrow();
    String inputHeader =
        headers.lines().filter(l -> l.startsWith("Signature-Input: ")).findFirst().orElseThrow();

    driver.get(portal + "signatures.html");
    wait.until(d -> script("return document.body.dataset.computed || ''").toString().length() > 0);

    assertThat(textContent("#doc-base")).isEqualTo(base);
    assertThat(textContent("#try-base")).isEqualTo(base);
    assertThat(textContent("#try-signature-input"))
        .isEqualTo(inputHeader.substring("Signature-Input: ".length()));
    assertThat(textContent("#try-signature"))
        .isEqualTo(signatureHeader.substring("Signature: ".length()));
    assertThat(textContent("#try-digest")).isEqualTo(textContent("#doc-digest"));
    assertThat(find("#try-base-match").getDomAttribute("class")).contains("ok");

    // an edited input changes the base, and the page says so
    WebElement nonce = find("#try-nonce");
    nonce.clear();
    nonce.sendKeys("AnotherNonce0000000001");
    wait.until(d -> textContent("#try-base").contains("nonce=\"AnotherNonce0000000001\""));
    wait.until(d -> find("#try-base-match").getDomAttribute("class").contains("bad"));
    click("#try-reset");
    wait.until(d -> textContent("#try-base").equals(base));
  }

  // ------------------------------------------------------------------ every page

  @Test
  void everyPage_isServedUnderAStrictCsp_andLoadsWithoutConsoleErrors() {
    Http http = new Http(gateway.port());
    for (String page :
        List.of("", "index.html", "signup.html", "console.html", "signatures.html")) {
      Http.Response response = http.get("/portal/" + page);
      assertThat(response.status()).as(page).isEqualTo(200);
      String csp = response.header("content-security-policy");
      assertThat(csp).as(page).contains("default-src 'none'").contains("script-src 'self'");
      assertThat(csp).as(page).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
      assertThat(response.body()).as(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)");
      assertThat(response.body()).as(page).doesNotContainPattern("\\son[a-z]+=");

      driver.get(portal + page);
      wait.until(d -> "complete".equals(script("return document.readyState")));
      assertThat(driver.getTitle()).as(page).contains("Scenebank");
    }
    assertThat(http.get("/portal/reference.html").header("content-security-policy"))
        .contains("script-src 'self'");
  }

  // ------------------------------------------------------------------ helpers

  static String codeBlockAfter(String markdown, String marker) {
    int at = markdown.indexOf(marker);
    assertThat(at).as(marker).isNotNegative();
    int start = markdown.indexOf("```\n", at) + 4;
    int end = markdown.indexOf("\n```", start);
    return markdown.substring(start, end);
  }

  static WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  static List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The first element matching, or null (for waits). */
  static WebElement first(String css) {
    List<WebElement> found = all(css);
    return found.isEmpty() ? null : found.get(0);
  }

  static String text(String css) {
    return find(css).getText();
  }

  static String textContent(String css) {
    return String.valueOf(script("return document.querySelector(arguments[0]).textContent", css));
  }

  static Object script(String code, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(code, args);
  }

  static void type(String css, String value) {
    WebElement field = find(css);
    field.clear();
    field.sendKeys(value);
  }

  static void click(String css) {
    wait.until(
            d -> {
              WebElement element = first(css);
              return element != null && element.isDisplayed() && element.isEnabled()
                  ? element
                  : null;
            })
        .click();
  }
}
