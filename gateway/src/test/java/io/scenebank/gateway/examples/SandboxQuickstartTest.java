package io.scenebank.gateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.examples.SandboxQuickstart;
import io.scenebank.gateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's quick start, run as written against a real gateway. */
class SandboxQuickstartTest {

  @Test
  void main_signsUpAndMakesASignedCall() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      SandboxQuickstart.main(new String[] {TestGateway.shared().issuer()});
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("signed up: SandboxCredentials{clientId=app_")
        .contains("registered keys: 1")
        .contains("first key: ")
        .doesNotContain("PRIVATE KEY");
  }
}
