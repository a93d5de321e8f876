package io.scenebank.gateway.time;

import io.vertx.core.Future;

/**
 * Work that falls due as time passes (expiries, debts turning overdue, reversal deadlines). It runs
 * periodically for every app, and for one app right after its sandbox clock is advanced. Running it
 * again, or on two instances at once, changes nothing more.
 */
public interface TimeDriven {

  /** Does what is due now for the app, or for every app when {@code clientId} is null. */
  Future<Void> runDue(String clientId);
}
