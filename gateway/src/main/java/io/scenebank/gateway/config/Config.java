package io.scenebank.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The gateway's configuration: defaults, overridden by the optional properties file, overridden by
 * environment variables. Immutable; invalid values fail start-up with every problem listed.
 */
public final class Config {

  private static final Set<String> LOG_LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

  private final Map<Setting, String> values;
  private final Mode mode;
  private final int httpPort;
  private final Integer managementPort;
  private final int httpInstances;
  private final long bodyLimitBytes;
  private final Duration requestTimeout;
  private final Duration shutdownGrace;
  private final Duration shutdownDrain;
  private final int dbPoolSize;
  private final int signatureWindowSeconds;
  private final int tokenTtlSeconds;
  private final int rateLimitPerSecond;
  private final int rateLimitBurst;
  private final int authRefusalsPerSecond;
  private final byte[] masterKey;
  private final List<Duration> webhookRetries;
  private final int webhookTimeoutMs;
  private final int webhookPollMs;
  private final int careGraceDays;
  private final int carePenaltyBps;
  private final int sweepIntervalMs;
  private final long paymentMaxAmount;
  private final int paymentVelocityLimit;

  private Config(Map<Setting, String> values) {
    this.values = values;
    List<String> problems = new ArrayList<>();
    this.mode = parse(problems, Setting.MODE, v -> Mode.valueOf(v.toUpperCase(Locale.ROOT)));
    this.httpPort = intIn(problems, Setting.HTTP_PORT, 0, 65535);
    this.httpInstances = intIn(problems, Setting.HTTP_INSTANCES, 0, 256);
    this.managementPort =
        get(Setting.MANAGEMENT_PORT).isEmpty()
            ? null
            : intIn(problems, Setting.MANAGEMENT_PORT, 0, 65535);
    this.bodyLimitBytes = intIn(problems, Setting.BODY_LIMIT_BYTES, 1024, 64 * 1024 * 1024);
    this.requestTimeout =
        Duration.ofMillis(intIn(problems, Setting.REQUEST_TIMEOUT_MS, 100, 600_000));
    this.shutdownGrace =
        Duration.ofSeconds(intIn(problems, Setting.SHUTDOWN_GRACE_SECONDS, 0, 3600));
    this.shutdownDrain =
        Duration.ofSeconds(intIn(problems, Setting.SHUTDOWN_DRAIN_SECONDS, 0, 300));
    this.dbPoolSize = intIn(problems, Setting.DB_POOL_SIZE, 1, 1000);
    this.signatureWindowSeconds = intIn(problems, Setting.SIGNATURE_WINDOW_SECONDS, 5, 3600);
    this.tokenTtlSeconds = intIn(problems, Setting.TOKEN_TTL_SECONDS, 60, 600);
    this.rateLimitPerSecond = intIn(problems, Setting.RATE_LIMIT_PER_SECOND, 1, 1_000_000);
    this.rateLimitBurst = intIn(problems, Setting.RATE_LIMIT_BURST, 1, 1_000_000);
    this.authRefusalsPerSecond = intIn(problems, Setting.AUTH_REFUSALS_PER_SECOND, 1, 1_000_000);
    this.masterKey = masterKey(problems);
    this.webhookTimeoutMs = intIn(problems, Setting.WEBHOOK_TIMEOUT_MS, 100, 60_000);
    this.webhookPollMs = intIn(problems, Setting.WEBHOOK_POLL_MS, 10, 60_000);
    this.careGraceDays = intIn(problems, Setting.CARE_GRACE_PERIOD_DAYS, 0, 365);
    this.carePenaltyBps = intIn(problems, Setting.CARE_PENALTY_DAILY_RATE_BPS, 0, 10_000);
    this.sweepIntervalMs = intIn(problems, Setting.SWEEP_INTERVAL_MS, 100, 3_600_000);
    this.paymentMaxAmount = intIn(problems, Setting.PAYMENT_MAX_AMOUNT, 1, 2_000_000_000);
    this.paymentVelocityLimit = intIn(problems, Setting.PAYMENT_VELOCITY_LIMIT, 1, 1_000_000);
    this.webhookRetries = retrySchedule(problems);
    tokenIssuerProblems(problems);
    String publicUrl = get(Setting.PUBLIC_URL);
    if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^/?#\\s]+")) {
      problems.add(
          Setting.PUBLIC_URL.key()
              + " must be a scheme and host without a path, e.g. https://api.bank.cn");
    }
    if (!LOG_LEVELS.contains(get(Setting.LOG_LEVEL).toUpperCase(Locale.ROOT))) {
      problems.add(Setting.LOG_LEVEL.key() + " must be one of " + LOG_LEVELS);
    }
    if (databaseUrl().isPresent()) {
      try {
        io.scenebank.gateway.db.DatabaseUrl url =
            io.scenebank.gateway.db.DatabaseUrl.parse(databaseUrl().get());
        if (url.hosts().size() > 1 && !url.readWrite()) {
          problems.add(
              Setting.DATABASE_URL.key()
                  + " with several hosts needs target_session_attrs=read-write");
        }
      } catch (RuntimeException e) {
        // never echo the URL: it may carry a password
        problems.add(Setting.DATABASE_URL.key() + " is not a valid postgresql:// URL");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Production: about three days; sandbox: about ten minutes. */
  static final String PRODUCTION_RETRIES =
      "60,300,1800,3600,7200,14400,28800,43200,43200,43200,43200,43200";

  static final String SANDBOX_RETRIES = "5,15,30,60,120,300";

  private List<Duration> retrySchedule(List<String> problems) {
    String value = get(Setting.WEBHOOK_RETRY_SCHEDULE);
    if (value.isEmpty()) {
      value = mode == Mode.PRODUCTION ? PRODUCTION_RETRIES : SANDBOX_RETRIES;
    }
    List<Duration> delays = new ArrayList<>();
    try {
      for (String part : value.split(",")) {
        long seconds = Long.parseLong(part.trim());
        if (seconds < 1 || seconds > 86_400) {
          throw new NumberFormatException();
        }
        delays.add(Duration.ofSeconds(seconds));
      }
    } catch (NumberFormatException e) {
      problems.add(
          Setting.WEBHOOK_RETRY_SCHEDULE.key()
              + " must be comma-separated seconds, each from 1 to 86400");
    }
    if (delays.size() > 30) {
      problems.add(Setting.WEBHOOK_RETRY_SCHEDULE.key() + " allows at most 30 retries");
    }
    return List.copyOf(delays);
  }

  private byte[] masterKey(List<String> problems) {
    String value = get(Setting.MASTER_KEY);
    if (value.isEmpty()) {
      if (mode == Mode.PRODUCTION || databaseUrl().isPresent()) {
        problems.add(
            Setting.MASTER_KEY.key()
                + " is required in production and with DATABASE_URL (all instances must share it)");
      }
      return null;
    }
    try {
      byte[] key = Base64.getDecoder().decode(value);
      if (key.length == 32) {
        return key;
      }
    } catch (IllegalArgumentException e) {
      // reported below, without the value
    }
    problems.add(Setting.MASTER_KEY.key() + " must be the base64 of exactly 32 bytes");
    return null;
  }

  /**
   * Reads the configuration of a real start: the environment, and the file named by {@code --config
   * FILE} or {@code SCENEBANK_CONFIG_FILE}.
   */
  public static Config load(Map<String, String> environment, String... args) {
    List<String> problems = new ArrayList<>();
    String file = environment.getOrDefault(Setting.CONFIG_FILE.key(), "");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = args[++i];
      } else {
        problems.add("unknown argument: " + args[i] + " (usage: [--config FILE])");
      }
    }
    Map<String, String> merged = new HashMap<>();
    if (!file.isEmpty()) {
      merged.putAll(readFile(Path.of(file), problems));
    }
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (e.getKey().startsWith("SCENEBANK_") || e.getKey().equals(Setting.DATABASE_URL.key())) {
        merged.put(e.getKey(), e.getValue());
      }
    }
    if (!file.isEmpty()) {
      merged.put(Setting.CONFIG_FILE.key(), file);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return of(merged);
  }

  /** Defaults overridden by the given settings (keys as in {@link Setting#key()}). */
  public static Config of(Map<String, String> settings) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      values.put(s, s.defaultValue());
    }
    List<String> unknown = new ArrayList<>();
    settings.forEach(
        (key, value) -> {
          Optional<Setting> setting = byKey(key);
          if (setting.isPresent()) {
            values.put(setting.get(), value.trim());
          } else {
            unknown.add("unknown setting " + key);
          }
        });
    if (!unknown.isEmpty()) {
      throw new ConfigException(unknown);
    }
    return new Config(values);
  }

  /** A copy with some settings changed. */
  public Config with(Map<String, String> changes) {
    Map<String, String> all = new HashMap<>();
    values.forEach((s, v) -> all.put(s.key(), v));
    all.putAll(changes);
    return of(all);
  }

  private static Optional<Setting> byKey(String key) {
    for (Setting s : Setting.values()) {
      if (s.key().equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> readFile(Path file, List<String> problems) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      problems.add("cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }

  private String get(Setting setting) {
    return values.get(setting);
  }

  private <T> T parse(List<String> problems, Setting setting, Function<String, T> parser) {
    try {
      return parser.apply(get(setting));
    } catch (RuntimeException e) {
      problems.add(setting.key() + " has an invalid value: " + get(setting));
      return null;
    }
  }

  private int intIn(List<String> problems, Setting setting, int min, int max) {
    Integer value = parse(problems, setting, Integer::valueOf);
    if (value == null) {
      return min;
    }
    if (value < min || value > max) {
      problems.add(setting.key() + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  public Mode mode() {
    return mode;
  }

  public String httpHost() {
    return get(Setting.HTTP_HOST);
  }

  public int httpPort() {
    return httpPort;
  }

  /** The management server's port ({@code 0}: any free one), if it is to run. */
  public Optional<Integer> managementPort() {
    return Optional.ofNullable(managementPort);
  }

  public String managementHost() {
    return get(Setting.MANAGEMENT_HOST);
  }

  /** Server instances to deploy: the setting, or one per core when it is 0. */
  public int httpInstances() {
    return httpInstances > 0 ? httpInstances : Runtime.getRuntime().availableProcessors();
  }

  public long bodyLimitBytes() {
    return bodyLimitBytes;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  public Duration shutdownDrain() {
    return shutdownDrain;
  }

  /** The external database, if one is configured. */
  public Optional<String> databaseUrl() {
    String url = get(Setting.DATABASE_URL);
    return url.isEmpty() ? Optional.empty() : Optional.of(url);
  }

  /** The file of configured billers, if any. */
  public Optional<Path> billersFile() {
    String file = get(Setting.BILLERS_FILE);
    return file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file));
  }

  public Path dataDir() {
    return Path.of(get(Setting.DATA_DIR));
  }

  public int dbPoolSize() {
    return dbPoolSize;
  }

  /** The configured external base URL, if any (see {@link Setting#PUBLIC_URL}). */
  public Optional<String> publicUrl() {
    String url = get(Setting.PUBLIC_URL);
    return url.isEmpty() ? Optional.empty() : Optional.of(url);
  }

  /** The master key, if configured; else the gateway keeps one in the data directory. */
  public Optional<byte[]> masterKey() {
    return Optional.ofNullable(masterKey).map(byte[]::clone);
  }

  /** An external token issuer, as configured (see {@link Setting#TOKEN_ISSUER}). */
  public record TokenIssuer(
      String issuer,
      Optional<String> jwksUrl,
      Optional<String> introspectionClientId,
      Optional<String> introspectionClientSecret) {

    @Override
    public String toString() {
      return "TokenIssuer[" + issuer + "]";
    }
  }

  /** The external token issuer, if tokens come from elsewhere. */
  public Optional<TokenIssuer> tokenIssuer() {
    String issuer = get(Setting.TOKEN_ISSUER);
    return issuer.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new TokenIssuer(
                issuer,
                optional(Setting.TOKEN_JWKS_URL),
                optional(Setting.TOKEN_INTROSPECTION_CLIENT_ID),
                optional(Setting.TOKEN_INTROSPECTION_CLIENT_SECRET)));
  }

  private Optional<String> optional(Setting setting) {
    String value = get(setting);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private void tokenIssuerProblems(List<String> problems) {
    String issuer = get(Setting.TOKEN_ISSUER);
    boolean production = mode == Mode.PRODUCTION;
    for (Setting url : List.of(Setting.TOKEN_ISSUER, Setting.TOKEN_JWKS_URL)) {
      String value = get(url);
      if (!value.isEmpty() && !value.matches((production ? "https" : "https?") + "://[^\\s?#]+")) {
        problems.add(
            url.key()
                + " must be an absolute "
                + (production ? "https" : "http(s)")
                + " URL without query or fragment");
      }
    }
    boolean id = !get(Setting.TOKEN_INTROSPECTION_CLIENT_ID).isEmpty();
    boolean secret = !get(Setting.TOKEN_INTROSPECTION_CLIENT_SECRET).isEmpty();
    if (issuer.isEmpty() && (id || secret || !get(Setting.TOKEN_JWKS_URL).isEmpty())) {
      problems.add(
          Setting.TOKEN_JWKS_URL.key()
              + " and the introspection credentials need "
              + Setting.TOKEN_ISSUER.key());
    }
    if (id != secret) {
      problems.add(
          Setting.TOKEN_INTROSPECTION_CLIENT_ID.key()
              + " and "
              + Setting.TOKEN_INTROSPECTION_CLIENT_SECRET.key()
              + " go together");
    }
    if (id && !get(Setting.TOKEN_JWKS_URL).isEmpty()) {
      problems.add(
          "introspection needs the issuer's discovered introspection_endpoint: leave "
              + Setting.TOKEN_JWKS_URL.key()
              + " empty");
    }
  }

  public Optional<String> operatorJwk() {
    String jwk = get(Setting.OPERATOR_JWK);
    return jwk.isEmpty() ? Optional.empty() : Optional.of(jwk);
  }

  public Duration signatureWindow() {
    return Duration.ofSeconds(signatureWindowSeconds);
  }

  public Duration tokenTtl() {
    return Duration.ofSeconds(tokenTtlSeconds);
  }

  public int rateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  public int rateLimitBurst() {
    return rateLimitBurst;
  }

  /** Refused authentications per second per client address before it is throttled. */
  public int authRefusalsPerSecond() {
    return authRefusalsPerSecond;
  }

  /** Delays before each retry of a webhook delivery; its size is the number of retries. */
  public List<Duration> webhookRetries() {
    return webhookRetries;
  }

  public Duration webhookTimeout() {
    return Duration.ofMillis(webhookTimeoutMs);
  }

  /** Pay-after-care: interest-free days from settlement to the due date. */
  public int careGraceDays() {
    return careGraceDays;
  }

  /** Pay-after-care: penalty interest on overdue principal, basis points per day. */
  public int carePenaltyBps() {
    return carePenaltyBps;
  }

  /** Risk rule: the largest merchant payment, in fen. */
  public long paymentMaxAmount() {
    return paymentMaxAmount;
  }

  /** Risk rule: merchant payments one payer may make in an hour. */
  public int paymentVelocityLimit() {
    return paymentVelocityLimit;
  }

  /** How often time-driven work runs. */
  public Duration sweepInterval() {
    return Duration.ofMillis(sweepIntervalMs);
  }

  public Duration webhookPoll() {
    return Duration.ofMillis(webhookPollMs);
  }

  public String logLevel() {
    return get(Setting.LOG_LEVEL).toUpperCase(Locale.ROOT);
  }

  /** Settings for a log line: everything but the database URL, which may carry a password. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Config{");
    values.forEach(
        (s, v) -> {
          if (s == Setting.TOKEN_INTROSPECTION_CLIENT_SECRET) {
            sb.append(s.key()).append('=').append(v.isEmpty() ? "" : "<set>").append(", ");
          } else if (s == Setting.MASTER_KEY) {
            sb.append(s.key())
                .append('=')
                .append(v.isEmpty() ? "<data dir>" : "<set>")
                .append(", ");
          } else if (s != Setting.DATABASE_URL) {
            sb.append(s.key()).append('=').append(v).append(", ");
          }
        });
    sb.append("DATABASE_URL=").append(databaseUrl().isPresent() ? "<set>" : "<embedded>");
    return sb.append('}').toString();
  }
}
