package io.scenebank.gateway.events;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.Gateway;
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
  void isPublic_refusesLoopbackPrivateLinkLocalCgnatAndMappedForms() throws Exception {
    for (String address :
        new String[] {
          "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
          "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "224.0.0.1"
        }) {
      assertThat(UrlPolicy.isPublic(InetAddress.getByName(address))).as(address).isFalse();
    }
    for (String address : new String[] {"8.8.8.8", "203.0.113.10", "2001:db8::1"}) {
      assertThat(UrlPolicy.isPublic(InetAddress.getByName(address))).as(address).isTrue();
    }
  }

  @Test
  void check_production_allowsOnlyHttpsWithoutCredentials() {
    UrlPolicy production = new UrlPolicy(true);
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
    assertThat(new UrlPolicy(false).resolve(URI.create("http://127.0.0.1/hooks"))).isNotNull();
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
    } finally {
      await(production.stop());
    }
  }
}
