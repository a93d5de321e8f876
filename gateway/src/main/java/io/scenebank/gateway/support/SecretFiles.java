package io.scenebank.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Secrets the gateway generates once into its data directory (the sandbox master key, the embedded
 * PostgreSQL's password): created readable by the owner only from the first byte, moved into place
 * whole, and read back on every later start.
 */
public final class SecretFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {}

  /**
   * The secret in {@code file}; if there is none yet, {@code bytes} random bytes encoded by {@code
   * encoding} are written there first.
   */
  public static String readOrCreate(Path file, int bytes, Base64.Encoder encoding) {
    try {
      if (!Files.exists(file)) {
        byte[] generated = new byte[bytes];
        RANDOM.nextBytes(generated);
        create(file, encoding.encodeToString(generated));
      }
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void create(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      FileAttribute<Set<PosixFilePermission>> ownerOnly =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.createFile(tmp, ownerOnly);
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system: the directory's permissions protect it
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.delete(tmp); // another process made it first: theirs stands
    }
  }
}
