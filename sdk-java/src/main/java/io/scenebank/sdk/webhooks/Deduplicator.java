package io.scenebank.sdk.webhooks;

/**
 * Remembers which webhook ids were processed. The default keeps them in memory for twice the replay
 * window; a receiver running on several nodes plugs in a shared one (e.g. a table with a unique
 * key).
 */
public interface Deduplicator {

  /** True the first time an id is seen, false for every repeat. */
  boolean firstSeen(String webhookId);

  /**
   * Forgets an id: the application failed to handle that delivery, so the gateway's retry must be
   * taken for a first delivery, not a repeat. The SDK's receivers call it when your code throws or
   * answers 5xx. A shared deduplicator must implement it (delete the id), or a delivery whose
   * handling failed is never handled.
   */
  default void forget(String webhookId) {}
}
