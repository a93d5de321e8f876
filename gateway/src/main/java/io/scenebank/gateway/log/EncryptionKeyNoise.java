package io.scenebank.gateway.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops vertx-auth-oauth2's "Unsupported JWK" warning for an issuer's encryption keys (RSA-OAEP,
 * ECDH-ES): OpenID providers publish them beside their signing keys (Keycloak always does), a
 * resource server never needs them, and the warning, with its stack trace, came at every reload of
 * the keys. Any other unusable key is still logged.
 */
public final class EncryptionKeyNoise extends TurboFilter {

  private static final String SOURCE = "io.vertx.ext.auth.oauth2.impl.OAuth2AuthProviderImpl";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (t != null
        && SOURCE.equals(logger.getName())
        && "Unsupported JWK".equals(format)
        && isEncryptionAlgorithm(String.valueOf(t.getMessage()))) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private static boolean isEncryptionAlgorithm(String message) {
    return message.contains("RSA-OAEP")
        || message.contains("ECDH-ES")
        || message.contains("RSA1_5");
  }
}
