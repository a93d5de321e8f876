package io.scenebank.gateway.config;

/**
 * Where the gateway runs, passed as one value to whatever behaves differently: the sandbox offers
 * self-service signup, simulators, a movable clock, fixture payers and plain-HTTP webhooks on
 * loopback; production offers none of them and marks its objects {@code livemode}.
 */
public enum Mode {
  SANDBOX,
  PRODUCTION;

  /** Sandbox-only behaviour (signup, simulators, fixtures, clock moves) is on. */
  public boolean sandbox() {
    return this == SANDBOX;
  }

  /** Objects and events carry {@code "livemode": true}: real money, real partners. */
  public boolean livemode() {
    return this == PRODUCTION;
  }
}
