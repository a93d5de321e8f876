package io.scenebank.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** DATABASE_URL with one host or a primary and its standbys, as libpq reads it. */
class DatabaseUrlTest {

  @Test
  void oneHost_isUsedAsItIs() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://gw:s3cret@db:5433/scenebank?sslmode=disable");
    assertThat(url.readWrite()).isFalse();
    assertThat(url.hosts())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.getHost()).isEqualTo("db");
              assertThat(h.getPort()).isEqualTo(5433);
              assertThat(h.getUser()).isEqualTo("gw");
              assertThat(h.getPassword()).isEqualTo("s3cret");
              assertThat(h.getDatabase()).isEqualTo("scenebank");
            });
  }

  @Test
  void severalHosts_withReadWrite_keepTheirOrderAndShareTheRest() {
    DatabaseUrl url =
        DatabaseUrl.parse(
            "postgresql://gw:pw@db-a:5432,db-b:6432/bank?target_session_attrs=read-write");
    assertThat(url.readWrite()).isTrue();
    assertThat(url.hosts())
        .extracting(h -> h.getHost() + ":" + h.getPort())
        .containsExactly("db-a:5432", "db-b:6432");
    assertThat(url.hosts())
        .allSatisfy(
            h -> {
              assertThat(h.getUser()).isEqualTo("gw");
              assertThat(h.getDatabase()).isEqualTo("bank");
            });
    assertThat(DatabaseUrl.parse("postgres://u@a,b/d?target_session_attrs=primary").readWrite())
        .isTrue();
  }

  @Test
  void badUrls_failWithoutEchoingThem() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:topsecret@h/d"))
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@a,,b/d"))
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(
            () -> DatabaseUrl.parse("postgresql://u:topsecret@a/d?target_session_attrs=standby"))
        .hasMessageContaining("target_session_attrs")
        .hasMessageNotContaining("topsecret");
  }
}
