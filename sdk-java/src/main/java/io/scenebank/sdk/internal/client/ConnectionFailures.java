package io.scenebank.sdk.internal.client;

import io.scenebank.sdk.ApiConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/** What to say when the gateway cannot be reached: where, why, and what to check. */
public final class ConnectionFailures {

  private ConnectionFailures() {}

  /**
   * {@code what} ("the token endpoint") at {@code uri} could not be reached because of {@code e}.
   */
  public static String describe(String what, URI uri, IOException e) {
    String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    return "cannot reach " + what + " at " + uri + ": " + cause(e, host);
  }

  /**
   * The exception for a request to {@code what} at {@code uri} that failed with {@code failure}, as
   * {@code HttpClient} reports it (possibly wrapped in a {@code CompletionException}): the cause
   * described when the gateway could not be reached, the failure's own message otherwise.
   */
  public static ApiConnectionException sendFailed(
      String what, URI uri, String requestId, Throwable failure) {
    Throwable cause = unwrap(failure);
    String message =
        cause instanceof IOException
            ? describe(what, uri, (IOException) cause)
            : String.valueOf(cause.getMessage());
    return new ApiConnectionException(message, "connection_failed", requestId, 0, cause);
  }

  /** The failure inside a {@code CompletionException} or {@code ExecutionException}. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String cause(IOException e, String host) {
    // the whole chain first: the JDK wraps an unknown host in a ConnectException
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return "the host "
          + host
          + " is unknown (is the Environment right? a gateway you run is"
          + " Environment.custom(\"http://localhost:8080\"))";
    }
    if (has(e, HttpConnectTimeoutException.class)) {
      return "no connection to " + host + " within the connect timeout";
    }
    if (has(e, HttpTimeoutException.class)) {
      return "no answer from " + host + " within the request timeout";
    }
    if (has(e, ConnectException.class)) {
      return "the connection to " + host + " was refused (is the gateway running there?)";
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
