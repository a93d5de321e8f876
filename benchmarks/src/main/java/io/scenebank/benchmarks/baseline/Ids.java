package io.scenebank.benchmarks.baseline;

import java.util.concurrent.ThreadLocalRandom;

/** Identifiers in the gateway's shape: a prefix, {@code _} and 20 random letters and digits. */
final class Ids {

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Ids() {}

  static String next(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(prefix.length() + 21).append(prefix).append('_');
    for (int i = 0; i < 20; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
