package io.scenebank.gateway.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of apps recently found active, so that verifying a request's signature needs no query: at
 * most {@code capacity} entries (the least recently used go first), each for at most {@code ttl}. A
 * cached key is never trusted alone: the statement that records the request's nonce checks again
 * that the key, its app and organisation are active and the token not revoked.
 */
final class KeyCache {

  private record Entry(ClientRegistry.RequestCheck check, long until) {}

  private final int capacity;
  private final long ttlNanos;
  private final Map<String, Entry> entries;

  KeyCache(int capacity, Duration ttl) {
    this.capacity = capacity;
    this.ttlNanos = ttl.toNanos();
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > KeyCache.this.capacity;
          }
        };
  }

  synchronized ClientRegistry.RequestCheck get(String clientId, String kid) {
    Entry entry = entries.get(key(clientId, kid));
    if (entry == null) {
      return null;
    }
    if (entry.until() - System.nanoTime() < 0) {
      entries.remove(key(clientId, kid));
      return null;
    }
    return entry.check();
  }

  synchronized void put(String clientId, String kid, ClientRegistry.RequestCheck check) {
    entries.put(key(clientId, kid), new Entry(check, System.nanoTime() + ttlNanos));
  }

  synchronized void remove(String clientId, String kid) {
    entries.remove(key(clientId, kid));
  }

  private static String key(String clientId, String kid) {
    return clientId + '\n' + kid;
  }
}
