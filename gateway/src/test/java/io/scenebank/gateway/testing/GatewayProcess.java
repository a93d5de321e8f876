package io.scenebank.gateway.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway as an operator runs it ({@code java -jar}, what {@code bin/gateway} starts):
 * a child process on its embedded PostgreSQL, started, killed and restarted on one data directory
 * and one port, with its JSON log lines kept for the test.
 */
public final class GatewayProcess {

  private final Path jar;
  private final Path dataDir;
  private final int port;
  private final Map<String, String> settings;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private Process process;

  private GatewayProcess(Path jar, Path dataDir, int port, Map<String, String> settings) {
    this.jar = jar;
    this.dataDir = dataDir;
    this.port = port;
    this.settings = Map.copyOf(settings);
  }

  /** The jar that {@code package} built (failsafe passes its path). */
  public static Path packagedJar() {
    Path jar = Path.of(System.getProperty("scenebank.gateway.jar", "target/scenebank-gateway.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("no packaged gateway at " + jar + "; run `package` first");
    }
    return jar;
  }

  /** A gateway on a new data directory and a free port, with extra settings; started. */
  public static GatewayProcess start(String name, Map<String, String> settings) {
    GatewayProcess gateway =
        new GatewayProcess(packagedJar(), TestGateway.newDataDir(name), freePort(), settings);
    gateway.start();
    return gateway;
  }

  /** Starts the process (again) on the same data directory and port; returns when it serves. */
  public void start() {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SCENEBANK_") || k.equals("DATABASE_URL"));
    env.put("SCENEBANK_HTTP_HOST", "127.0.0.1");
    env.put("SCENEBANK_HTTP_PORT", Integer.toString(port));
    env.put("SCENEBANK_DATA_DIR", dataDir.toString());
    env.putAll(settings);
    builder.redirectErrorStream(true);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int from = lines.size();
    Process started = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "gateway-log");
    reader.setDaemon(true);
    reader.start();
    MoneyTraffic.waitFor(
        () -> logged(from, "gateway started") || !started.isAlive(),
        Duration.ofSeconds(120),
        "the gateway to start");
    if (!started.isAlive()) {
      throw new AssertionError(
          "the gateway exited: " + String.join("\n", lines.subList(from, lines.size())));
    }
  }

  private boolean logged(int from, String message) {
    for (String line : lines.subList(from, lines.size())) {
      if (line.startsWith("{") && message.equals(new JsonObject(line).getString("msg"))) {
        return true;
      }
    }
    return false;
  }

  /** True if a log line with this message was written (by any run on this data directory). */
  public boolean logged(String message) {
    return logged(0, message);
  }

  public String url() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The gateway's JVM: {@code kill -9}; its PostgreSQL is left running, as after a crash. */
  public void killGateway() {
    process.destroyForcibly();
    waitForExit();
  }

  /**
   * Every process of the embedded PostgreSQL (the postmaster and every backend) and then the
   * gateway: {@code kill -9}, all at once, as a power cut would. Returns how many PostgreSQL
   * processes there were.
   */
  public int killEverything() {
    List<ProcessHandle> postgres = postgresProcesses();
    postgres.forEach(ProcessHandle::destroyForcibly);
    killGateway();
    for (ProcessHandle p : postgres) {
      p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
    return postgres.size();
  }

  /** Every process of the embedded PostgreSQL: {@code kill -9}. */
  public int killPostgres() {
    List<ProcessHandle> all = postgresProcesses();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
    return all.size();
  }

  /** The postmaster of the data directory's cluster and its children (none if it is down). */
  public List<ProcessHandle> postgresProcesses() {
    Path pidFile = dataDir.resolve("postgres/postmaster.pid");
    List<ProcessHandle> all = new ArrayList<>();
    try {
      if (!Files.exists(pidFile)) {
        return all;
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      Optional<ProcessHandle> postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      postmaster.ifPresent(
          p -> {
            all.add(p);
            p.descendants().forEach(all::add);
          });
      return all;
    } catch (IOException | IndexOutOfBoundsException e) {
      return all;
    }
  }

  /** SIGTERM, as an orchestrator stops it; returns the exit code. */
  public int terminate() {
    process.toHandle().destroy();
    return waitForExit();
  }

  private int waitForExit() {
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("the gateway did not exit");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops whatever is still running (the end of a test). */
  public void destroy() {
    if (process != null && process.isAlive()) {
      terminate();
    }
    killPostgres();
  }

  /** A JDBC connection to the embedded PostgreSQL, with the password the gateway generated. */
  public Connection database() throws SQLException {
    try {
      List<String> pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
      String password = Files.readString(dataDir.resolve("postgres.password")).strip();
      return DriverManager.getConnection(
          "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/scenebank", "postgres", password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> lines() {
    return lines;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
