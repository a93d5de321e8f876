package io.scenebank.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppCredentialsTest {

  @TempDir Path dir;

  @Test
  void savedCredentials_loadAgain_andSignWithTheSameKey() {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.SM2_SM3, "his-2026-12");
    AppCredentials.of("app_123", "his-2026-12", key.privateKeyPem()).save(dir.resolve("his"));

    AppCredentials loaded = AppCredentials.load(dir.resolve("his"));

    assertThat(loaded.clientId()).isEqualTo("app_123");
    assertThat(loaded.keyId()).isEqualTo("his-2026-12");
    assertThat(loaded.signer().algorithm()).isEqualTo(SignatureAlgorithm.SM2_SM3);
    byte[] message = "GET /v1/care/debts".getBytes(StandardCharsets.UTF_8);
    assertThat(key.publicJwk().verify(message, loaded.signer().sign(message))).isTrue();
  }

  @Test
  void theKeyFile_isReadableByItsOwnerOnly_andNothingIsOverwritten() throws Exception {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.ED25519, "k1");
    AppCredentials credentials = AppCredentials.of("app_1", "k1", key.privateKeyPem());
    credentials.save(dir);

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(AppCredentials.KEY))))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> credentials.save(dir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot save");
    assertThat(credentials.toString()).doesNotContain("PRIVATE").contains("app_1");
  }

  @Test
  void missingOrBadCredentials_failWithAMessageThatSaysWhatToDo() throws Exception {
    assertThatThrownBy(() -> AppCredentials.load(dir.resolve("nowhere")))
        .hasMessageContaining("no saved credentials")
        .hasMessageContaining("AppCredentials.save");
    Files.writeString(dir.resolve(AppCredentials.PROPERTIES), "client_id=app_1\nkey_id=k1\n");
    Files.writeString(
        dir.resolve(AppCredentials.KEY),
        Keys.generate(SignatureAlgorithm.ED25519, "k1").publicJwk().toJson());
    assertThatThrownBy(() -> AppCredentials.load(dir)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                AppCredentials.of(
                    null, "k1", Keys.generate(SignatureAlgorithm.ED25519, "k1").privateKeyPem()))
        .hasMessageContaining("client_id");
  }
}
