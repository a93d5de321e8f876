package io.scenebank.gateway.bills;

import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Billers from the configuration file: added at start, updated at the next, refused if invalid. */
class ConfiguredBillersTest {

  private static final String ID = "blr_Cfg0000000000000001";

  private static JsonObject biller(String name) {
    return new JsonObject()
        .put("id", ID)
        .put("name", name)
        .put("category", "TELECOM")
        .put("region", "320400")
        .put(
            "account_number_format",
            new JsonObject()
                .put("regex", "^1[3-9][0-9]{9}$")
                .put("example", "13800000000")
                .put("description", "手机号码"))
        .put("amount_rule", "ANY")
        .put("min_amount", Partner.money(100))
        .put("max_amount", Partner.money(50_000))
        .put("inquiry_required", false)
        .put("supports_mandates", false)
        .put(
            "connector",
            new JsonObject()
                .put("type", "HTTP_JSON")
                .put("base_url", "https://telecom.example/billing")
                .put("credentials_ref", "SCENEBANK_BILLER_SECRET_TELECOM"));
  }

  private static Gateway start(Path dataDir, Path file) {
    return TestGateway.start(
        dataDir,
        Map.of(
            "SCENEBANK_BILLERS_FILE", file.toString(),
            "SCENEBANK_OPERATOR_JWK", TestGateway.OPERATOR_KEY.publicJwk().toJson()));
  }

  @Test
  void billersFromTheFile_areInTheDirectory() throws Exception {
    Path dataDir = TestGateway.newDataDir("billers-file");
    Path file = dataDir.resolve("billers.json");
    Files.writeString(file, new JsonArray().add(biller("常州电信（配置）")).encode());
    Gateway gateway = start(dataDir, file);
    try {
      TestApp app =
          TestApp.createOn(TestApp.operatorOf(gateway), SignatureAlgorithm.ED25519, "bills");
      JsonObject biller =
          assertResponseMatches("getBiller", app.request("GET", "/v1/bills/billers/" + ID).send());
      assertThat(biller.getString("name")).isEqualTo("常州电信（配置）");
      assertThat(biller.getString("amount_rule")).isEqualTo("ANY");
    } finally {
      await(gateway.stop());
    }

    // changed in the file: updated at the next start
    Files.writeString(file, new JsonArray().add(biller("常州电信（新）")).encode());
    gateway = start(dataDir, file);
    try {
      TestApp app =
          TestApp.createOn(TestApp.operatorOf(gateway), SignatureAlgorithm.ED25519, "bills");
      assertThat(
              assertResponseMatches(
                      "getBiller", app.request("GET", "/v1/bills/billers/" + ID).send())
                  .getString("name"))
          .isEqualTo("常州电信（新）");
    } finally {
      await(gateway.stop());
    }

    // an invalid entry stops the start, saying which and why
    Files.writeString(
        file, new JsonArray().add(biller("坏的").put("inquiry_required", true)).encode());
    assertThatThrownBy(() -> start(dataDir, file)).hasMessageContaining("inquiry_required");
    Files.writeString(file, new JsonArray().add(biller("坏的").put("category", "PIZZA")).encode());
    assertThatThrownBy(() -> start(dataDir, file)).hasMessageContaining("biller 0");
  }
}
