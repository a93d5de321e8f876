package io.scenebank.gateway.testing;

import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.GeneratedKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak server (the {@code keycloak-quarkus-dist} distribution the build unpacks), run in
 * development mode on a free loopback port for the length of a test class, and driven through its
 * admin REST API. Keycloak needs a JDK 21 or newer: {@code KEYCLOAK_JAVA_HOME}, or the newest under
 * {@code /usr/lib/jvm}.
 */
public final class Keycloak implements AutoCloseable {

  private static final Duration START_LIMIT = Duration.ofMinutes(4);

  private final Process process;
  private final Path log;
  private final String base;
  private final String adminPassword;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Keycloak(Process process, Path log, int port, String adminPassword) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
    this.adminPassword = adminPassword;
  }

  /** Starts the server; {@link #awaitReady()} waits until it answers. */
  public static Keycloak start() {
    String home = System.getProperty("scenebank.test.keycloak");
    if (home == null || !Files.isExecutable(Path.of(home, "bin", "kc.sh"))) {
      throw new IllegalStateException(
          "no Keycloak distribution at "
              + home
              + ": run the tests through Maven (the keycloak-for-tests profile unpacks it)");
    }
    Path dist = Path.of(home);
    try {
      deleteTree(dist.resolve("data")); // a fresh H2 database: realms of an earlier run are gone
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = TestGateway.newDataDir("keycloak").resolve("keycloak.log");
      String password = UUID.randomUUID().toString();
      ProcessBuilder builder =
          new ProcessBuilder(
                  dist.resolve("bin/kc.sh").toString(),
                  "start-dev",
                  "--http-host=127.0.0.1",
                  "--http-port=" + port)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("JAVA_HOME", javaHome().toString());
      builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx640m");
      builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
      builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
      Process process = builder.start();
      Keycloak keycloak = new Keycloak(process, log, port, password);
      Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close));
      return keycloak;
    } catch (IOException e) {
      throw new IllegalStateException("Keycloak did not start", e);
    }
  }

  /** Waits until the server answers its discovery document (it has died: fails with its log). */
  public Keycloak awaitReady() {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited:\n" + tail());
      }
      try {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(issuer("master")))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(250);
    }
    throw new IllegalStateException(
        "Keycloak did not answer within " + START_LIMIT + ":\n" + tail());
  }

  /** A realm's issuer identifier. */
  public String issuer(String realm) {
    return base + "/realms/" + realm;
  }

  public String tokenEndpoint(String realm) {
    return issuer(realm) + "/protocol/openid-connect/token";
  }

  /** Creates a realm with client scopes of these names (put into the access token's scope). */
  public void createRealm(String realm, String... scopes) {
    admin("POST", "/admin/realms", new JsonObject().put("realm", realm).put("enabled", true));
    for (String scope : scopes) {
      admin(
          "POST",
          "/admin/realms/" + realm + "/client-scopes",
          new JsonObject()
              .put("name", scope)
              .put("protocol", "openid-connect")
              .put("attributes", new JsonObject().put("include.in.token.scope", "true")));
    }
  }

  /**
   * A confidential client with a service account (client credentials), whose access tokens are
   * addressed to these audiences (Keycloak lets only a client in a token's audience introspect it),
   * may ask for these scopes of the realm, and carry these attributes (e.g. the access token's
   * signature algorithm).
   */
  public void createClient(
      String realm,
      String clientId,
      String secret,
      List<String> audiences,
      List<String> scopes,
      Map<String, String> attributes) {
    JsonArray mappers = new JsonArray();
    for (String audience : audiences) {
      mappers.add(
          new JsonObject()
              .put("name", "audience " + audience)
              .put("protocol", "openid-connect")
              .put("protocolMapper", "oidc-audience-mapper")
              .put(
                  "config",
                  new JsonObject()
                      .put("included.custom.audience", audience)
                      .put("access.token.claim", "true")
                      .put("introspection.token.claim", "true")));
    }
    JsonObject client =
        new JsonObject()
            .put("clientId", clientId)
            .put("publicClient", false)
            .put("serviceAccountsEnabled", true)
            .put("standardFlowEnabled", false)
            .put("clientAuthenticatorType", "client-secret")
            .put("secret", secret)
            .put("attributes", new JsonObject(new LinkedHashMap<>(attributes)))
            .put("protocolMappers", mappers);
    admin("POST", "/admin/realms/" + realm + "/clients", client);
    String id =
        new JsonArray(
                admin("GET", "/admin/realms/" + realm + "/clients?clientId=" + clientId, null))
            .getJsonObject(0)
            .getString("id");
    JsonArray all = new JsonArray(admin("GET", "/admin/realms/" + realm + "/client-scopes", null));
    for (Object s : all) {
      JsonObject scope = (JsonObject) s;
      if (scopes.contains(scope.getString("name"))) {
        admin(
            "PUT",
            "/admin/realms/"
                + realm
                + "/clients/"
                + id
                + "/optional-client-scopes/"
                + scope.getString("id"),
            null);
      }
    }
  }

  /**
   * An access token for the client, with the scope asked for; bound (DPoP, RFC 9449) to {@code key}
   * if it is given: Keycloak then puts the key's thumbprint in {@code cnf.jkt}.
   */
  public String token(
      String realm, String clientId, String secret, String scope, GeneratedKey key) {
    String endpoint = tokenEndpoint(realm);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=client_credentials&scope="
                        + URLEncoder.encode(scope, StandardCharsets.UTF_8)));
    if (key != null) {
      request.header("DPoP", dpopProof(key, "POST", endpoint));
    }
    JsonObject answer = new JsonObject(send(request.build(), 200));
    return answer.getString("access_token");
  }

  /** Revokes a token at the issuer (RFC 7009). */
  public void revoke(String realm, String clientId, String secret, String token) {
    send(
        HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/revoke"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "client_id="
                        + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                        + "&client_secret="
                        + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                        + "&token_type_hint=access_token&token="
                        + token))
            .build(),
        200);
  }

  /**
   * Rotates the realm's signing key: a new generated RSA key of a higher priority than any, which
   * signs the access tokens issued from now on.
   */
  public void rotateKeys(String realm, int priority) {
    String realmId = new JsonObject(admin("GET", "/admin/realms/" + realm, null)).getString("id");
    admin(
        "POST",
        "/admin/realms/" + realm + "/components",
        new JsonObject()
            .put("name", "rotated-" + priority)
            .put("providerId", "rsa-generated")
            .put("providerType", "org.keycloak.keys.KeyProvider")
            .put("parentId", realmId)
            .put(
                "config",
                new JsonObject()
                    .put("priority", new JsonArray().add(String.valueOf(priority)))
                    .put("keySize", new JsonArray().add("2048"))
                    .put("algorithm", new JsonArray().add("RS256"))));
  }

  /** The key id ({@code kid}) in a token's header. */
  public static String keyIdOf(String token) {
    String header = token.substring(0, token.indexOf('.'));
    return new JsonObject(
            new String(java.util.Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
        .getString("kid");
  }

  private static String dpopProof(GeneratedKey key, String method, String uri) {
    Map<String, Object> jwk = new LinkedHashMap<>(key.publicJwk().toMap());
    jwk.remove("kid");
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "dpop+jwt");
    header.put("alg", key.algorithm().jwsName());
    header.put("jwk", jwk);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("jti", HttpSignatures.newNonce());
    claims.put("htm", method);
    claims.put("htu", uri);
    claims.put("iat", Instant.now().getEpochSecond());
    return Jws.sign(header, claims, key.signer());
  }

  private String adminToken() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tokenEndpoint("master")))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=password&client_id=admin-cli&username=admin&password="
                        + adminPassword))
            .build();
    return new JsonObject(send(request, 200)).getString("access_token");
  }

  private String admin(String method, String path, JsonObject body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminToken())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    return send(request.build(), -1);
  }

  private String send(HttpRequest request, int expected) {
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      boolean ok =
          expected == -1
              ? answer.statusCode() >= 200 && answer.statusCode() < 300
              : answer.statusCode() == expected;
      if (!ok) {
        throw new AssertionError(
            request.method()
                + " "
                + request.uri()
                + " answered "
                + answer.statusCode()
                + ": "
                + answer.body());
      }
      return answer.body();
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception stillRunning) {
        p.destroyForcibly();
      }
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A JDK of version 21 or newer: Keycloak 26 needs one (the build itself runs on 17). */
  static Path javaHome() throws IOException {
    String configured = System.getenv("KEYCLOAK_JAVA_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        Path newest =
            homes
                .filter(h -> Files.isExecutable(h.resolve("bin/java")))
                .filter(h -> featureVersion(h) >= 21)
                .max(Comparator.comparingInt(Keycloak::featureVersion))
                .orElse(null);
        if (newest != null) {
          return newest;
        }
      }
    }
    int running = Runtime.version().feature();
    if (running >= 21) {
      return Path.of(System.getProperty("java.home"));
    }
    throw new IllegalStateException(
        "Keycloak needs a JDK 21 or newer: install one under /usr/lib/jvm or set"
            + " KEYCLOAK_JAVA_HOME");
  }

  private static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return 0;
    }
    return 0;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
