package io.scenebank.gateway.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Records each gateway process in {@code gateway_instances}: started, and stopped cleanly. */
public final class InstanceRegistry {

  private final Pool pool;
  private final UUID id = UUID.randomUUID();

  public InstanceRegistry(Pool pool) {
    this.pool = pool;
  }

  public UUID id() {
    return id;
  }

  public Future<Void> started(String version, String mode, String host) {
    return pool.preparedQuery(
            "INSERT INTO gateway_instances (id, version, mode, host) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(id, version, mode, host))
        .mapEmpty();
  }

  public Future<Void> stopped() {
    return pool.preparedQuery("UPDATE gateway_instances SET stopped_at = now() WHERE id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }
}
