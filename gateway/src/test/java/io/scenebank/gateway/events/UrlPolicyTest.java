package io.scenebank.gateway.events;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Webhooks never reach into the bank's network in production (SSRF). */
class UrlPolicyTest {

  @Test
  void production_allowsOnlyGloballyRoutableAddresses_inEveryNotation() throws Exception {
    for (String address :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "172.16.0.1",
          "192.168.1.1",
          "169.254.169.254",
          "100.64.0.1",
          "0.0.0.0",
          "::1",
          "fe80::1",
          "fd00::1",
          "::ffff:10.0.0.1",
          "224.0.0.1",
          // the independent test's reproductions
          "::127.0.0.1",
          "64:ff9b::7f00:1",
          "64:ff9b::a9fe:a9fe",
          "64:ff9b:1::7f00:1",
          "2002:7f00:1::",
          "::ffff:0:7f00:1",
          "198.18.0.1",
          "198.19.255.254",
          "192.0.0.8",
          // and their neighbours
          "2001:0:4136:e378:8000:63bf:3fff:fdd2",
          "2001:db8::1",
          "203.0.113.10",
          "100::1",
          "255.255.255.255",
          "240.0.0.1",
          "ff02::1"
        }) {
      assertThat(UrlPolicy.allowed(InetAddress.getByName(address), Mode.PRODUCTION))
          .as(address)
          .isFalse();
    }
    for (String address : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"}) {
      assertThat(UrlPolicy.allowed(InetAddress.getByName(address), Mode.PRODUCTION))
          .as(address)
          .isTrue();
    }
  }

  @Test
  void sandbox_allowsTheDevelopersOwnMachine_butNeverMetadataOrSpecialRanges() throws Exception {
    for (String address :
        new String[] {"127.0.0.1", "::1", "192.168.1.20", "10.0.0.5", "8.8.8.8"}) {
      assertThat(UrlPolicy.allowed(InetAddress.getByName(address), Mode.SANDBOX))
          .as(address)
          .isTrue();
    }
    for (String address :
        new String[] {
          "169.254.169.254", "fe80::1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe",
          "0.0.0.0", "::", "198.18.0.1", "2002:a9fe:a9fe::"
        }) {
      assertThat(UrlPolicy.allowed(InetAddress.getByName(address), Mode.SANDBOX))
          .as(address)
          .isFalse();
    }
    assertThatThrownBy(
            () -> new UrlPolicy(Mode.SANDBOX).resolve(URI.create("http://169.254.169.254/x")))
        .isInstanceOf(Problem.class);
  }

  @Test
  void check_production_allowsOnlyHttpsWithoutCredentials() {
    UrlPolicy production = new UrlPolicy(Mode.PRODUCTION);
    assertThat(production.check("https://his.hospital.example/hooks")).isNotNull();
    for (String url :
        new String[] {
          "http://his.hospital.example/hooks",
          "ftp://x/y",
          "https://user:pw@his.example/",
          "not a url"
        }) {
      assertThatThrownBy(() -> production.check(url))
          .as(url)
          .isInstanceOfSatisfying(
              Problem.class, p -> assertThat(p.code()).isEqualTo("url_not_allowed"));
    }
    assertThatThrownBy(() -> production.resolve(URI.create("https://127.0.0.1/hooks")))
        .isInstanceOf(Problem.class);
    assertThat(new UrlPolicy(Mode.SANDBOX).resolve(URI.create("http://127.0.0.1/hooks")))
        .isNotNull();
  }

  @Test
  void createWebhookEndpoint_inProduction_toAPrivateAddress_is422() {
    Gateway production =
        TestGateway.start(
            TestGateway.newDataDir("ssrf"),
            Map.of(
                "SCENEBANK_MODE", "production",
                "SCENEBANK_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "SCENEBANK_OPERATOR_JWK", TestGateway.OPERATOR_KEY.publicJwk().toJson()));
    try {
      TestApp operator = TestApp.operatorOf(production);
      TestApp app = TestApp.createOn(operator, SignatureAlgorithm.ED25519, "events");
      for (String url :
          new String[] {
            "https://127.0.0.1/hooks", "https://10.0.0.8/hooks", "http://his.example/hooks"
          }) {
        assertProblem(
            app.request("POST", "/v1/webhook-endpoints")
                .body(
                    new JsonObject()
                        .put("url", url)
                        .put("event_types", new JsonArray().add("*"))
                        .encode())
                .send(),
            422,
            "url_not_allowed");
      }
      // the same policy guards the billers' systems: an operator cannot point one at metadata
      for (String url :
          new String[] {
            "https://169.254.169.254/latest", "http://biller.example/api", "https://[::127.0.0.1]/x"
          }) {
        JsonObject biller =
            new JsonObject()
                .put("name", "SSRF " + url.hashCode())
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
                .put("min_amount", new JsonObject().put("amount", 1).put("currency", "CNY"))
                .put("max_amount", new JsonObject().put("amount", 100000).put("currency", "CNY"))
                .put("inquiry_required", true)
                .put("supports_mandates", false)
                .put("connector", new JsonObject().put("type", "HTTP_JSON").put("base_url", url));
        assertProblem(
            operator.request("POST", "/v1/operator/billers").body(biller.encode()).send(),
            422,
            "url_not_allowed");
      }
    } finally {
      await(production.stop());
    }
  }
}
