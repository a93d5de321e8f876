package io.scenebank.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.sdk.Environment;
import io.scenebank.sdk.ScenebankClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The operators' client of a gateway started with {@code TestGateway.OPERATOR_KEY}. */
public final class Operators {

  private Operators() {}

  /** The operator app (looked up in the gateway's database by its key) calling {@code url}. */
  public static ScenebankClient client(Connection db, String url) throws SQLException {
    String clientId;
    try (PreparedStatement s =
        db.prepareStatement("SELECT client_id FROM client_keys WHERE thumbprint = ?")) {
      s.setString(1, TestGateway.OPERATOR_KEY.publicJwk().thumbprint());
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("the operator app").isTrue();
        clientId = rs.getString(1);
      }
    }
    return ScenebankClient.builder()
        .clientId(clientId)
        .signer(TestGateway.OPERATOR_KEY.signer())
        .environment(Environment.custom(url))
        .build();
  }
}
