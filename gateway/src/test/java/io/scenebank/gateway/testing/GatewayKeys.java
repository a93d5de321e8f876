package io.scenebank.gateway.testing;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.security.SecretBox;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.Signer;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;

/**
 * The shared gateway's own Ed25519 signer, unsealed from its database with its master key: for
 * tests that need a token only the gateway could have made (an expired one, say).
 */
public final class GatewayKeys {

  private GatewayKeys() {}

  public static Signer activeEd25519(Gateway gateway) {
    Row row =
        TestGateway.await(
                gateway
                    .database()
                    .pool()
                    .query(
                        "SELECT kid, sealed_private_key FROM signing_keys"
                            + " WHERE algorithm = 'ed25519' AND status = 'ACTIVE'")
                    .execute())
            .iterator()
            .next();
    String kid = row.getString("kid");
    byte[] pem =
        SecretBox.forConfig(gateway.config())
            .open(row.getBuffer("sealed_private_key").getBytes(), kid);
    return Keys.signerFromPem(new String(pem, StandardCharsets.US_ASCII), kid);
  }
}
