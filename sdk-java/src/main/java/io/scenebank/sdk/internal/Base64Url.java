package io.scenebank.sdk.internal;

import java.util.Base64;

/**
 * Base64url without padding (RFC 4648 §5, as JOSE uses it). Decoding is strict: padding, characters
 * outside the URL-safe alphabet and non-canonical encodings are rejected.
 */
public final class Base64Url {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  /** Encodes without padding. */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes an unpadded base64url string.
   *
   * @throws IllegalArgumentException if the text is not canonical unpadded base64url
   */
  public static byte[] decode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("base64url value is missing");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw new IllegalArgumentException(
            "not base64url without padding: unexpected character at index " + i);
      }
    }
    if (text.length() % 4 == 1) {
      throw new IllegalArgumentException("not base64url: impossible length " + text.length());
    }
    byte[] bytes = DECODER.decode(text);
    // the last character may carry unused bits; only the canonical (zero) choice is accepted
    if (!ENCODER.encodeToString(bytes).equals(text)) {
      throw new IllegalArgumentException("not canonical base64url (non-zero trailing bits)");
    }
    return bytes;
  }
}
