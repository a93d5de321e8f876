package io.scenebank.gateway.db;

import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DATABASE_URL} as libpq reads it, with one or more hosts: {@code
 * postgresql://user:password@db-a:5432,db-b:5432/scenebank?target_session_attrs=read-write}. With
 * {@code target_session_attrs=read-write} (or {@code primary}) the gateway connects only to the
 * host that takes writes, so that a promoted standby is found after a failover; without it, to the
 * first host that answers.
 */
public record DatabaseUrl(List<PgConnectOptions> hosts, boolean readWrite) {

  /** Parses the URL; fails with a message that never contains it (it may carry a password). */
  public static DatabaseUrl parse(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException("not a postgresql:// URL");
    }
    String scheme = url.substring(0, schemeEnd);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new IllegalArgumentException("not a postgresql:// URL");
    }
    String rest = url.substring(schemeEnd + 3);
    int authorityEnd = indexOfAny(rest, '/', '?');
    String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
    String tail = authorityEnd < 0 ? "" : rest.substring(authorityEnd);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
    String hostList = authority.substring(at + 1);

    boolean readWrite = false;
    String query = "";
    int q = tail.indexOf('?');
    String path = q < 0 ? tail : tail.substring(0, q);
    if (q >= 0) {
      List<String> kept = new ArrayList<>();
      for (String parameter : tail.substring(q + 1).split("&")) {
        if (parameter.startsWith("target_session_attrs=")) {
          String value = parameter.substring("target_session_attrs=".length());
          switch (value) {
            case "read-write", "primary" -> readWrite = true;
            case "any" -> readWrite = false;
            default ->
                throw new IllegalArgumentException(
                    "target_session_attrs must be any, read-write or primary");
          }
        } else if (!parameter.isEmpty()) {
          kept.add(parameter);
        }
      }
      query = kept.isEmpty() ? "" : "?" + String.join("&", kept);
    }
    List<PgConnectOptions> hosts = new ArrayList<>();
    for (String host : hostList.split(",")) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("an empty host in the host list");
      }
      hosts.add(PgConnectOptions.fromUri(scheme + "://" + userInfo + host + path + query));
    }
    return new DatabaseUrl(List.copyOf(hosts), readWrite);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
