package io.scenebank.sdk;

import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.Signer;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * An app's credentials: its client id, and the key ID and private key it signs with. Saved to a
 * directory as two files, {@code app.properties} ({@code client_id}, {@code key_id}) and {@code
 * private-key.pem} (PKCS#8, readable by its owner only where the file system has POSIX
 * permissions), and loaded from it again; any PKCS#8, SEC 1 or PKCS#1 PEM that {@link
 * Keys#signerFromPem} reads may stand in for the key file.
 *
 * <pre>{@code
 * SandboxCredentials signup = Sandbox.signUp(...);
 * signup.credentials().save(Path.of("secrets/hospital-app"));   // once, after signing up
 * ...
 * ScenebankClient client = AppCredentials.load(Path.of("secrets/hospital-app"))
 *     .client(Environment.SANDBOX);                               // at every start
 * }</pre>
 *
 * {@link #toString()} never shows the key.
 */
public final class AppCredentials {

  static final String PROPERTIES = "app.properties";
  static final String KEY = "private-key.pem";

  private final String clientId;
  private final String keyId;
  private final String privateKeyPem;
  private final Signer signer;

  private AppCredentials(String clientId, String keyId, String privateKeyPem) {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("credentials need the app's client_id");
    }
    if (keyId == null || keyId.isBlank()) {
      throw new IllegalArgumentException(
          "credentials need the key ID the key was registered under (key_id)");
    }
    this.clientId = clientId;
    this.keyId = keyId;
    this.privateKeyPem = privateKeyPem;
    // fails fast on a PEM that holds no usable private key
    this.signer = Keys.signerFromPem(privateKeyPem, keyId);
  }

  /** Credentials from their parts; the PEM must hold a private key. */
  public static AppCredentials of(String clientId, String keyId, String privateKeyPem) {
    return new AppCredentials(clientId, keyId, privateKeyPem);
  }

  /**
   * Writes the two files into {@code directory} (created if missing). Refuses to overwrite saved
   * credentials: delete them first if you mean to replace them.
   */
  public void save(Path directory) {
    try {
      Files.createDirectories(directory);
      Path key = directory.resolve(KEY);
      Path properties = directory.resolve(PROPERTIES);
      if (Files.exists(key) || Files.exists(properties)) {
        throw new FileAlreadyExistsException(
            directory.toString(), null, "credentials are saved there already; not overwritten");
      }
      Files.createFile(key);
      try {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // e.g. Windows: the directory's own permissions protect it
      }
      Files.writeString(key, privateKeyPem, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
      Properties values = new Properties();
      values.setProperty("client_id", clientId);
      values.setProperty("key_id", keyId);
      try (Writer out = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
        values.store(out, "Scenebank app credentials (the private key is in " + KEY + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the credentials to " + directory, e);
    }
  }

  /** Reads credentials {@link #save saved} into {@code directory}. */
  public static AppCredentials load(Path directory) {
    Properties values = new Properties();
    try (Reader in =
        Files.newBufferedReader(directory.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
      values.load(in);
      String pem = Files.readString(directory.resolve(KEY), StandardCharsets.US_ASCII);
      return new AppCredentials(values.getProperty("client_id"), values.getProperty("key_id"), pem);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(
          "no saved credentials: "
              + e.getFile()
              + " is missing (save them with AppCredentials.save or SandboxCredentials.save)",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the credentials in " + directory, e);
    }
  }

  public String clientId() {
    return clientId;
  }

  public String keyId() {
    return keyId;
  }

  /** The private key, PEM: store it like a password. */
  public String privateKeyPem() {
    return privateKeyPem;
  }

  /** The signer of requests and client assertions. */
  public Signer signer() {
    return signer;
  }

  /** A client for this app in the environment. */
  public ScenebankClient client(Environment environment) {
    return ScenebankClient.builder()
        .clientId(clientId)
        .signer(signer)
        .environment(environment)
        .build();
  }

  @Override
  public String toString() {
    return "AppCredentials{clientId=" + clientId + ", keyId=" + keyId + "}";
  }
}
