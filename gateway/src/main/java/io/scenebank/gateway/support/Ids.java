package io.scenebank.gateway.support;

import java.security.SecureRandom;

/**
 * Resource ids: a type prefix and 20 random base62 characters ({@code cns_7Hq2LmX9pQ4sT8vWk3Rd}).
 */
public final class Ids {

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A new id, e.g. {@code next("org")}. About 119 bits of randomness: unguessable. */
  public static String next(String prefix) {
    return prefix + "_" + random(20);
  }

  /** Random base62 text of the given length. */
  public static String random(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
