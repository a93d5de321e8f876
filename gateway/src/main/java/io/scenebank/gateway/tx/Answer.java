package io.scenebank.gateway.tx;

import io.vertx.core.buffer.Buffer;

/** The answer to a state-changing request: fresh, or the one stored for its idempotency key. */
public record Answer(int status, String contentType, Buffer body, boolean replayed) {}
