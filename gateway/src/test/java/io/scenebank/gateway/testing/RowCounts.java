package io.scenebank.gateway.testing;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Row counts of every table of a gateway's schema: what a test compares to prove no write. */
public final class RowCounts {

  private RowCounts() {}

  public static Map<String, Long> of(Gateway gateway) {
    List<String> tables = new ArrayList<>();
    for (Row row :
        await(
            gateway
                .database()
                .pool()
                .query(
                    "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                        + " ORDER BY table_name")
                .execute())) {
      tables.add(row.getString(0));
    }
    assertThat(tables).as("the gateway's tables").contains("ledger_postings", "request_nonces");
    String sql =
        tables.stream()
            .map(t -> "SELECT '" + t + "' AS t, count(*) AS n FROM \"" + t + "\"")
            .collect(Collectors.joining(" UNION ALL "));
    Map<String, Long> counts = new TreeMap<>();
    for (Row row : await(gateway.database().pool().query(sql).execute())) {
      counts.put(row.getString("t"), row.getLong("n"));
    }
    return counts;
  }
}
