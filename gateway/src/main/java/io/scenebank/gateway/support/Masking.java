package io.scenebank.gateway.support;

/** How personal data is shown: masked, never in full. */
public final class Masking {

  private Masking() {}

  /**
   * A name: its first character, then one {@code *} per other character ({@code 张*}, {@code 欧***}).
   */
  public static String name(String name) {
    if (name == null || name.isEmpty()) {
      return "*";
    }
    int first = name.offsetByCodePoints(0, 1);
    return name.substring(0, first)
        + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
  }

  /** A mainland mobile number: {@code 138****0011}. */
  public static String phone(String phone) {
    return phone.substring(0, 3) + "****" + phone.substring(7);
  }
}
