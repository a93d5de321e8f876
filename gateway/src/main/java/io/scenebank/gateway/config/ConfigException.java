package io.scenebank.gateway.config;

import java.util.List;

/** The configuration is invalid; the message lists every problem found. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
  }
}
