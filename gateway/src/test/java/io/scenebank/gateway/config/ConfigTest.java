package io.scenebank.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir Path dir;

  @Test
  void of_whenNothingSet_usesDocumentedDefaults() {
    Config config = Config.of(Map.of());
    assertThat(config.mode()).isEqualTo(Mode.SANDBOX);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.bodyLimitBytes()).isEqualTo(1048576);
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.httpInstances()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void load_whenFileAndEnvironmentBothSet_environmentWins() throws IOException {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(
        file,
        "SCENEBANK_HTTP_PORT=9000\nSCENEBANK_MODE=production\nSCENEBANK_MASTER_KEY=" + KEY + "\n",
        StandardCharsets.UTF_8);

    Config config =
        Config.load(
            Map.of("SCENEBANK_HTTP_PORT", "9100", "PATH", "/bin"), "--config", file.toString());

    assertThat(config.httpPort()).isEqualTo(9100);
    assertThat(config.mode()).isEqualTo(Mode.PRODUCTION);
  }

  @Test
  void load_whenFileNamedByEnvironment_readsIt() throws IOException {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(file, "SCENEBANK_BODY_LIMIT_BYTES=4096\n", StandardCharsets.UTF_8);

    Config config = Config.load(Map.of("SCENEBANK_CONFIG_FILE", file.toString()));

    assertThat(config.bodyLimitBytes()).isEqualTo(4096);
  }

  @Test
  void of_whenSeveralValuesInvalid_listsEveryProblem() {
    assertThatThrownBy(
            () ->
                Config.of(
                    Map.of(
                        "SCENEBANK_HTTP_PORT", "70000",
                        "SCENEBANK_MODE", "staging",
                        "SCENEBANK_DB_POOL_SIZE", "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SCENEBANK_HTTP_PORT must be between 0 and 65535")
        .hasMessageContaining("SCENEBANK_MODE has an invalid value")
        .hasMessageContaining("SCENEBANK_DB_POOL_SIZE has an invalid value");
  }

  @Test
  void load_whenUnknownSettingOrArgument_rejectsIt() throws IOException {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "SCENEBANK_HTTP_PROT=9000\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Config.load(Map.of(), "--config", file.toString()))
        .hasMessageContaining("unknown setting SCENEBANK_HTTP_PROT");
    assertThatThrownBy(() -> Config.load(Map.of(), "--verbose"))
        .hasMessageContaining("unknown argument: --verbose");
    assertThatThrownBy(() -> Config.load(Map.of(), "--config", dir.resolve("none").toString()))
        .hasMessageContaining("cannot read configuration file");
  }

  @Test
  void databaseUrl_isNeverPrintedBecauseItMayCarryAPassword() {
    String url = "postgresql://bank:s3cret-pw@db.internal:5432/scenebank";
    Config config = Config.of(Map.of("DATABASE_URL", url, "SCENEBANK_MASTER_KEY", KEY));
    assertThat(config.databaseUrl()).contains(url);
    assertThat(config.toString()).doesNotContain("s3cret-pw").contains("DATABASE_URL=<set>");

    assertThatThrownBy(
            () ->
                Config.of(
                    Map.of(
                        "DATABASE_URL", "mysql://root:s3cret-pw@x/y", "SCENEBANK_MASTER_KEY", KEY)))
        .hasMessageContaining("DATABASE_URL is not a valid postgresql:// URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw"));
  }

  @Test
  void masterKey_isRequiredInProductionAndWithASharedDatabase_andNeverPrinted() {
    assertThatThrownBy(() -> Config.of(Map.of("SCENEBANK_MODE", "production")))
        .hasMessageContaining("SCENEBANK_MASTER_KEY is required in production");
    assertThatThrownBy(() -> Config.of(Map.of("DATABASE_URL", "postgresql://db/x")))
        .hasMessageContaining("SCENEBANK_MASTER_KEY is required");
    assertThatThrownBy(() -> Config.of(Map.of("SCENEBANK_MASTER_KEY", "c2hvcnQ=")))
        .hasMessageContaining("exactly 32 bytes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2hvcnQ="));
    Config config = Config.of(Map.of("SCENEBANK_MODE", "production", "SCENEBANK_MASTER_KEY", KEY));
    assertThat(config.masterKey()).isPresent();
    assertThat(config.toString()).doesNotContain(KEY).contains("SCENEBANK_MASTER_KEY=<set>");
  }

  @Test
  void anExternalIssuer_isDiscoveredFromItsIdentifierAlone_andItsSettingsAreChecked() {
    Config discovered = Config.of(Map.of("SCENEBANK_TOKEN_ISSUER", "https://idp.bank.cn/realms/x"));
    assertThat(discovered.tokenIssuer()).isPresent();
    assertThat(discovered.tokenIssuer().get().jwksUrl()).isEmpty();
    assertThat(Config.of(Map.of()).tokenIssuer()).isEmpty();

    assertThatThrownBy(
            () -> Config.of(Map.of("SCENEBANK_TOKEN_JWKS_URL", "https://idp.bank.cn/jwks")))
        .hasMessageContaining("need SCENEBANK_TOKEN_ISSUER");
    assertThatThrownBy(
            () ->
                Config.of(
                    Map.of(
                        "SCENEBANK_TOKEN_ISSUER", "https://idp.bank.cn",
                        "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID", "gateway")))
        .hasMessageContaining("go together");
    assertThatThrownBy(
            () ->
                Config.of(
                    Map.of(
                        "SCENEBANK_TOKEN_ISSUER", "https://idp.bank.cn",
                        "SCENEBANK_TOKEN_JWKS_URL", "https://idp.bank.cn/jwks",
                        "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID", "gateway",
                        "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_SECRET", "s3cret-at-idp")))
        .hasMessageContaining("leave SCENEBANK_TOKEN_JWKS_URL empty")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-at-idp"));
    assertThatThrownBy(() -> Config.of(Map.of("SCENEBANK_TOKEN_ISSUER", "idp.bank.cn")))
        .hasMessageContaining("SCENEBANK_TOKEN_ISSUER must be an absolute http(s) URL");
    assertThatThrownBy(
            () ->
                Config.of(
                    Map.of(
                        "SCENEBANK_MODE", "production",
                        "SCENEBANK_MASTER_KEY", KEY,
                        "SCENEBANK_TOKEN_ISSUER", "http://idp.bank.cn")))
        .hasMessageContaining("SCENEBANK_TOKEN_ISSUER must be an absolute https URL");
  }

  @Test
  void theIntrospectionSecret_isNeverPrinted() {
    Config config =
        Config.of(
            Map.of(
                "SCENEBANK_TOKEN_ISSUER", "https://idp.bank.cn",
                "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID", "gateway",
                "SCENEBANK_TOKEN_INTROSPECTION_CLIENT_SECRET", "s3cret-at-idp"));
    assertThat(config.toString())
        .doesNotContain("s3cret-at-idp")
        .contains("SCENEBANK_TOKEN_INTROSPECTION_CLIENT_SECRET=<set>");
    assertThat(config.tokenIssuer().orElseThrow().toString()).doesNotContain("s3cret-at-idp");
  }

  @Test
  void readme_documentsEverySettingWithItsDefault() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    for (Setting s : Setting.values()) {
      assertThat(readme).as("README documents %s", s.key()).contains("`" + s.key() + "`");
      if (!s.defaultValue().isEmpty()) {
        assertThat(readme)
            .as("README row of %s shows its default", s.key())
            .containsPattern(
                "\\| `"
                    + s.key()
                    + "` \\| `"
                    + java.util.regex.Pattern.quote(s.defaultValue())
                    + "` \\|");
      }
    }
  }
}
