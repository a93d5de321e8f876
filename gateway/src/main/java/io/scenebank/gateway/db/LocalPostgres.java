package io.scenebank.gateway.db;

import io.scenebank.gateway.support.SecretFiles;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server the gateway runs itself, durable and closed to everyone but the gateway:
 *
 * <ul>
 *   <li>created with data checksums, and started with {@code fsync}, {@code synchronous_commit} and
 *       {@code full_page_writes} on, so that a commit it acknowledged survives a crash of the
 *       server or of the machine;
 *   <li>listening on 127.0.0.1 only (no Unix socket), and only for password logins (SCRAM-SHA-256)
 *       with a random password generated once into {@code <data dir>/postgres.password} (readable
 *       by the owner only);
 *   <li>owned by one gateway at a time ({@code <data dir>/postgres.lock}); a server left running by
 *       a gateway that was killed is stopped before a new one starts on the same data.
 * </ul>
 *
 * <p>The settings are passed on the command line at every start, so they apply to a data directory
 * made by an older version too (its {@code pg_hba.conf} is rewritten and its superuser given the
 * password). Only data checksums cannot be added to an existing cluster here.
 *
 * <p>Every method blocks; the gateway calls them through {@code executeBlocking}.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
  public static final String SUPERUSER = "postgres";
  static final String HBA_MARKER = "# scenebank-managed";
  private static final String HBA =
      HBA_MARKER
          + ": rewritten by the gateway at every start. Password (SCRAM) logins over loopback\n"
          + "# only; there is no Unix socket.\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n";
  private static final Duration START_WAIT = Duration.ofMinutes(5);

  private final Path home;
  private final Path cluster;
  private final int port;
  private final String password;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean stopped;

  private LocalPostgres(
      Path home, Path cluster, int port, String password, FileChannel channel, FileLock lock) {
    this.home = home;
    this.cluster = cluster;
    this.port = port;
    this.password = password;
    this.lockChannel = channel;
    this.lock = lock;
  }

  /**
   * Starts the server on the cluster in {@code dataDir/postgres} (created if missing) on a free
   * port.
   */
  public static LocalPostgres start(Path dataDir) {
    return start(dataDir, 0);
  }

  /** Starts the server on the given port ({@code 0}: a free one). */
  public static LocalPostgres start(Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Path cluster = dir.resolve("postgres");
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              dir.resolve("postgres.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null; // by another gateway in this same process
      }
      if (lock == null) {
        throw new IllegalStateException(
            "another gateway uses the data directory " + dir + "; stop it first");
      }
      Path home = PostgresBinaries.home();
      Path passwordFile = dir.resolve("postgres.password");
      boolean newPassword = !Files.exists(passwordFile);
      // URL-safe, so that it can stand in a DATABASE_URL as it is
      String password =
          SecretFiles.readOrCreate(passwordFile, 24, Base64.getUrlEncoder().withoutPadding());
      stopOrphan(home, cluster);
      if (!Files.exists(cluster.resolve("PG_VERSION"))) {
        initdb(home, cluster, passwordFile);
      } else if (newPassword || !managedHba(cluster)) {
        setPassword(home, cluster, password);
      }
      Files.writeString(cluster.resolve("pg_hba.conf"), HBA, StandardCharsets.US_ASCII);
      int actualPort = port != 0 ? port : freePort();
      LocalPostgres pg = new LocalPostgres(home, cluster, actualPort, password, channel, lock);
      pg.startServer(dir.resolve("postgres-start.log"));
      return pg;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + cluster, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The superuser's password (what the gateway logs in with). */
  public String password() {
    return password;
  }

  /** Stops the server cleanly (a fast shutdown: sessions end, a checkpoint is written). */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (runningPostmaster(cluster).isPresent()) {
        pgCtl(home, cluster, "fast");
        LOG.info("embedded PostgreSQL stopped");
      } else {
        LOG.warn("the embedded PostgreSQL was no longer running");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        lock.release();
      } catch (IOException e) {
        LOG.warn("could not release the data directory lock", e);
      }
      closeQuietly(lockChannel);
    }
  }

  private void startServer(Path startLog) throws IOException {
    Files.deleteIfExists(startLog);
    List<String> settings =
        List.of(
            "listen_addresses=127.0.0.1",
            "unix_socket_directories=''",
            "fsync=on",
            "synchronous_commit=on",
            "full_page_writes=on",
            "password_encryption=scram-sha-256",
            "max_connections=300",
            "timezone=UTC",
            "logging_collector=on",
            "log_directory=log",
            "log_filename=postgresql-%a.log",
            "log_truncate_on_rotation=on",
            "log_rotation_age=1440",
            "log_rotation_size=0");
    StringBuilder options = new StringBuilder("-p ").append(port);
    settings.forEach(s -> options.append(" -c ").append(s));
    LOG.atInfo()
        .addKeyValue("data_dir", cluster.toString())
        .addKeyValue("port", port)
        .log("starting embedded PostgreSQL");
    Result started =
        run(
            command(
                home,
                "pg_ctl",
                "-D",
                cluster.toString(),
                "-l",
                startLog.toString(),
                "-o",
                options.toString(),
                "-w",
                "-t",
                Long.toString(START_WAIT.toSeconds()),
                "start"),
            null,
            START_WAIT.plusSeconds(30));
    if (started.exit() != 0) {
      String log = Files.exists(startLog) ? Files.readString(startLog) : "";
      throw new IllegalStateException(
          "the embedded PostgreSQL did not start: " + started.output() + "\n" + log);
    }
    LOG.atInfo().addKeyValue("port", port).log("embedded PostgreSQL is up");
  }

  private static void initdb(Path home, Path cluster, Path passwordFile) {
    LOG.atInfo().addKeyValue("data_dir", cluster.toString()).log("creating the database cluster");
    Result result =
        run(
            command(
                home,
                "initdb",
                "-D",
                cluster.toString(),
                "-U",
                SUPERUSER,
                "-E",
                "UTF-8",
                "--data-checksums",
                "--auth=scram-sha-256",
                "--pwfile=" + passwordFile,
                "--no-instructions"),
            null,
            Duration.ofMinutes(5));
    if (result.exit() != 0) {
      throw new IllegalStateException("initdb failed: " + result.output());
    }
  }

  /**
   * Gives the superuser the password, in single-user mode (no server running, no connection
   * needed): for a cluster created by an older version, which trusted every local connection.
   */
  private static void setPassword(Path home, Path cluster, String password) {
    LOG.info("setting the embedded PostgreSQL's password (password logins from now on)");
    Result result =
        run(
            command(home, "postgres", "--single", "-D", cluster.toString(), "postgres"),
            "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "'\n",
            Duration.ofMinutes(5));
    if (result.exit() != 0) {
      throw new IllegalStateException("could not set the password: " + result.output());
    }
  }

  private static boolean managedHba(Path cluster) throws IOException {
    Path hba = cluster.resolve("pg_hba.conf");
    return Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
  }

  /**
   * A server still running on this cluster belongs to a gateway that died without stopping it (we
   * hold the data directory's lock): stop it, so that this start applies its own settings.
   */
  private static void stopOrphan(Path home, Path cluster) throws IOException {
    Optional<Long> pid = runningPostmaster(cluster);
    if (pid.isPresent()) {
      LOG.atWarn().addKeyValue("pid", pid.get()).log("stopping an orphaned embedded PostgreSQL");
      pgCtl(home, cluster, "fast");
    }
  }

  /**
   * The process id of the server running on this cluster, if one is. A {@code postmaster.pid} whose
   * process is gone (or is not PostgreSQL) is a leftover of a crash: PostgreSQL recovers on its
   * next start.
   */
  private static Optional<Long> runningPostmaster(Path cluster) throws IOException {
    Path pidFile = cluster.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    long pid;
    try {
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    boolean postgres =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .flatMap(p -> p.info().command())
            .map(c -> c.endsWith("postgres"))
            .orElse(false);
    return postgres ? Optional.of(pid) : Optional.empty();
  }

  private static void pgCtl(Path home, Path cluster, String mode) {
    Result result =
        run(
            command(home, "pg_ctl", "-D", cluster.toString(), "-m", mode, "-w", "-t", "60", "stop"),
            null,
            Duration.ofSeconds(90));
    if (result.exit() != 0 && "fast".equals(mode)) {
      LOG.atWarn().addKeyValue("output", result.output()).log("fast stop failed; stopping now");
      pgCtl(home, cluster, "immediate");
    } else if (result.exit() != 0) {
      throw new IllegalStateException("could not stop PostgreSQL: " + result.output());
    }
  }

  private static List<String> command(Path home, String program, String... args) {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // PostgreSQL refuses to run as root; in a user namespace of its own it does not run as root
      command.add("unshare");
      command.add("-U");
    }
    command.add(home.resolve("bin").resolve(program).toString());
    command.addAll(List.of(args));
    return command;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, String input, Duration timeout) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (input != null) {
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      // the output is small; pg_ctl's server inherits no pipe of ours (it logs to a file)
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(command.size() - 1) + " timed out");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
