package io.scenebank.gateway.security;

import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.support.SecretFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest (the gateway's private keys, later personal data) with AES-256-GCM under
 * the master key. A sealed value is {@code version(1) ‖ nonce(12) ‖ ciphertext+tag}; the context
 * (e.g. the key id) is bound as associated data, so a sealed value cannot be moved to another row.
 */
public final class SecretBox {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(byte[] masterKey) {
    if (masterKey.length != 32) {
      throw new IllegalArgumentException("the master key must be 32 bytes");
    }
    this.key = new SecretKeySpec(masterKey, "AES");
  }

  /**
   * The box for this configuration: the configured master key, or in sandbox one generated once
   * into {@code <data dir>/master.key} (readable by the owner only).
   */
  public static SecretBox forConfig(Config config) {
    if (config.masterKey().isPresent()) {
      return new SecretBox(config.masterKey().get());
    }
    String generated =
        SecretFiles.readOrCreate(config.dataDir().resolve("master.key"), 32, Base64.getEncoder());
    return new SecretBox(Base64.getDecoder().decode(generated));
  }

  public byte[] seal(byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
          .put(VERSION)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /** Opens a sealed value; fails if it was altered, sealed for another context or another key. */
  public byte[] open(byte[] sealed, String context) {
    if (sealed.length < 1 + NONCE_BYTES + 16 || sealed[0] != VERSION) {
      throw new IllegalArgumentException("not a sealed value");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot open a sealed value: wrong master key, or the data was altered", e);
    }
  }
}
