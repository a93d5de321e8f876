package io.scenebank.sdk.webhooks;

/**
 * Remembers which webhook ids were processed. The default keeps them in memory for twice the replay
 * window; a receiver running on several nodes plugs in a shared one (e.g. a table with a unique
 * key).
 */
public interface Deduplicator {

  /** True the first time an id is seen, false for every repeat. */
  boolean firstSeen(String webhookId);
}
