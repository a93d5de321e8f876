package io.scenebank.gateway.security;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Times;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's own keys: one active Ed25519 key (access tokens, responses, webhooks) and one
 * active SM2 key (responses to SM2 callers), plus recently retired ones, which stay in the JWKS for
 * a day so that what they signed still verifies. Private keys are sealed in PostgreSQL; every
 * instance loads the same keys and reloads them to see another instance's rotation.
 */
public final class SigningKeys implements VerificationKeys {

  static final List<SignatureAlgorithm> ALGORITHMS =
      List.of(SignatureAlgorithm.ED25519, SignatureAlgorithm.SM2_SM3);
  private static final long LOCK_KEY = 0x5CE4EBA4DL;

  /** A key of the gateway that can sign. */
  public record Active(String kid, SignatureAlgorithm algorithm, Signer signer, PublicJwk jwk) {}

  private final Pool pool;
  private final SecretBox box;
  private final Mode mode;
  private volatile Map<SignatureAlgorithm, Active> active = Map.of();
  private volatile JsonObject jwks = new JsonObject().put("keys", new JsonArray());
  private volatile List<JsonObject> verificationKeys = List.of();

  public SigningKeys(Pool pool, SecretBox box, Mode mode) {
    this.pool = pool;
    this.box = box;
    this.mode = mode;
  }

  /** Makes sure each algorithm has an active key (creating it once, fleet-wide), then loads. */
  public Future<SigningKeys> start() {
    return pool.withTransaction(
            tx ->
                tx.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")")
                    .execute()
                    .compose(
                        v ->
                            tx.query("SELECT algorithm FROM signing_keys WHERE status = 'ACTIVE'")
                                .execute())
                    .compose(
                        rows -> {
                          List<String> have = new ArrayList<>();
                          rows.forEach(r -> have.add(r.getString(0)));
                          Future<Void> done = Future.succeededFuture();
                          for (SignatureAlgorithm alg : ALGORITHMS) {
                            if (!have.contains(alg.httpName())) {
                              done = done.compose(v -> insert(tx, alg, null).mapEmpty());
                            }
                          }
                          return done;
                        }))
        .compose(v -> reload())
        .map(this);
  }

  /** Reloads the keys from the database (another instance may have rotated). */
  public Future<Void> reload() {
    return pool.query(
            "SELECT * FROM signing_keys WHERE status = 'ACTIVE'"
                + " OR retired_at > now() - interval '1 day' ORDER BY created_at")
        .execute()
        .map(
            rows -> {
              Map<SignatureAlgorithm, Active> next = new EnumMap<>(SignatureAlgorithm.class);
              JsonArray keys = new JsonArray();
              List<JsonObject> ed25519 = new ArrayList<>();
              for (Row row : rows) {
                JsonObject jwk = row.getJsonObject("public_jwk");
                keys.add(jwk);
                SignatureAlgorithm alg =
                    SignatureAlgorithm.fromHttpName(row.getString("algorithm")).orElseThrow();
                if (alg == SignatureAlgorithm.ED25519) {
                  ed25519.add(jwk);
                }
                if ("ACTIVE".equals(row.getString("status"))) {
                  String kid = row.getString("kid");
                  String pem =
                      new String(
                          box.open(row.getBuffer("sealed_private_key").getBytes(), kid),
                          StandardCharsets.US_ASCII);
                  next.put(
                      alg,
                      new Active(
                          kid, alg, Keys.signerFromPem(pem, kid), PublicJwk.parse(jwk.getMap())));
                }
              }
              active = Map.copyOf(next);
              jwks = new JsonObject().put("keys", keys);
              verificationKeys = List.copyOf(ed25519);
              return null;
            });
  }

  /**
   * Retires the active key of the algorithm and makes a new one; the old one stays published for a
   * day. Returns the new key as the API shows it.
   */
  public Future<JsonObject> rotate(SignatureAlgorithm algorithm) {
    return pool.withTransaction(
            tx ->
                tx.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")")
                    .execute()
                    .compose(
                        v ->
                            tx.preparedQuery(
                                    "UPDATE signing_keys SET status = 'RETIRED', retired_at = now()"
                                        + " WHERE algorithm = $1 AND status = 'ACTIVE' RETURNING kid")
                                .execute(Tuple.of(algorithm.httpName())))
                    .compose(
                        retired ->
                            insert(
                                tx,
                                algorithm,
                                retired.size() == 0
                                    ? null
                                    : retired.iterator().next().getString(0))))
        .compose(key -> reload().map(key));
  }

  private Future<JsonObject> insert(SqlConnection tx, SignatureAlgorithm alg, String previous) {
    String kid =
        "gw-"
            + alg.httpName()
            + "-"
            + LocalDate.now(Times.CHINA).format(DateTimeFormatter.BASIC_ISO_DATE)
            + "-"
            + Ids.random(6);
    GeneratedKey key = Keys.generate(alg, kid);
    JsonObject jwk =
        new JsonObject(new java.util.LinkedHashMap<>(key.publicJwk().toMap()))
            .put("kid", kid)
            .put("use", "sig");
    byte[] sealed = box.seal(key.privateKeyPem().getBytes(StandardCharsets.US_ASCII), kid);
    return tx.preparedQuery(
            "INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_key, status,"
                + " previous_kid) VALUES ($1, $2, $3, $4, 'ACTIVE', $5) RETURNING *")
        .execute(
            Tuple.of(
                kid, alg.httpName(), jwk, io.vertx.core.buffer.Buffer.buffer(sealed), previous))
        .map(rows -> resource(rows.iterator().next()));
  }

  private JsonObject resource(Row row) {
    JsonObject json =
        new JsonObject()
            .put("object", "signing_key")
            .put("kid", row.getString("kid"))
            .put("livemode", mode.livemode())
            .put("algorithm", row.getString("algorithm"))
            .put("status", row.getString("status"))
            .put("public_jwk", row.getJsonObject("public_jwk"));
    if (row.getString("previous_kid") != null) {
      json.put("previous_kid", row.getString("previous_kid"));
    }
    return json.put("created_at", Times.format(row.getOffsetDateTime("created_at")));
  }

  /** The active key of the algorithm. */
  public Active current(SignatureAlgorithm algorithm) {
    Active key = active.get(algorithm);
    if (key == null) {
      throw new IllegalStateException("no active " + algorithm.httpName() + " signing key");
    }
    return key;
  }

  /** The published key set (active and recently retired keys). */
  public JsonObject jwks() {
    return jwks;
  }

  /** The Ed25519 public JWKs that access tokens may be signed with. */
  @Override
  public List<JsonObject> current() {
    return verificationKeys;
  }

  @Override
  public Future<Void> refresh() {
    return reload();
  }

  public Optional<JsonObject> publishedKey(String kid) {
    for (Object k : jwks.getJsonArray("keys")) {
      if (kid.equals(((JsonObject) k).getString("kid"))) {
        return Optional.of((JsonObject) k);
      }
    }
    return Optional.empty();
  }
}
