package io.scenebank.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between the gateway and its PostgreSQL that counts database round trips as they
 * happen on the wire: a round trip is the client speaking after an answer of the server has reached
 * it (or for the first time on a connection). Answers are delayed by 25 ms, as over a slow network,
 * so that only a client that waits for an answer before it sends counts again — however busy the
 * machine, statements a client sends without waiting reach the proxy well within that time.
 * Statements the client pipelines — sent one after another before any answer — count once, whatever
 * the code that sent them looks like. Bytes are forwarded untouched.
 */
public final class RoundTripCounter implements AutoCloseable {

  private static final long LATENCY_MS = 25;
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong statements = new AtomicLong();

  /** Listens on a free loopback port and forwards to PostgreSQL at {@code port}. */
  public RoundTripCounter(int port) {
    NetClient client = vertx.createNetClient();
    server =
        vertx
            .createNetServer()
            .connectHandler(
                front -> {
                  front.pause();
                  connections.incrementAndGet();
                  client
                      .connect(port, "127.0.0.1")
                      .onFailure(e -> front.close())
                      .onSuccess(back -> relay(front, back));
                });
    TestGateway.await(server.listen(0, "127.0.0.1"));
  }

  private void relay(NetSocket front, NetSocket back) {
    // true while the last bytes seen went from the server to the client
    AtomicBoolean serverSpokeLast = new AtomicBoolean(true);
    Messages messages = new Messages();
    front.handler(
        data -> {
          if (serverSpokeLast.getAndSet(false)) {
            roundTrips.incrementAndGet();
          }
          messages.read(data.getBytes());
          back.write(data);
        });
    // answers reach the client a little late, as over a real network: statements the client sends
    // without waiting for earlier answers then all come before any answer, and count once
    back.handler(
        data ->
            vertx.setTimer(
                LATENCY_MS,
                t -> {
                  serverSpokeLast.set(true);
                  front.write(data);
                }));
    front.closeHandler(v -> back.close());
    back.closeHandler(v -> front.close());
    front.resume();
  }

  /**
   * The client's side of the PostgreSQL protocol, message by message: counts the statements it runs
   * (an Execute of the extended protocol, or a simple Query). The first message (startup, or an SSL
   * request before it) has no type byte.
   */
  private final class Messages {
    private final byte[] header = new byte[5];
    private int headerFill;
    private long toSkip;
    private int untyped = 1;

    void read(byte[] bytes) {
      int i = 0;
      while (i < bytes.length) {
        if (toSkip > 0) {
          int n = (int) Math.min(toSkip, bytes.length - i);
          toSkip -= n;
          i += n;
          continue;
        }
        int want = untyped > 0 ? 4 : 5;
        while (headerFill < want && i < bytes.length) {
          header[headerFill++] = bytes[i++];
        }
        if (headerFill < want) {
          return;
        }
        int at = untyped > 0 ? 0 : 1;
        long length =
            ((header[at] & 0xffL) << 24)
                | ((header[at + 1] & 0xffL) << 16)
                | ((header[at + 2] & 0xffL) << 8)
                | (header[at + 3] & 0xffL);
        if (untyped > 0) {
          untyped--;
          if (length == 8) {
            untyped++; // an SSL request: the startup message follows, also untyped
          }
        } else if (header[0] == 'E' || header[0] == 'Q') {
          statements.incrementAndGet();
        }
        toSkip = length - 4;
        headerFill = 0;
      }
    }
  }

  /** Statements run so far (Execute or simple Query messages), on every connection. */
  public long statements() {
    return statements.get();
  }

  /** The port to give the gateway instead of PostgreSQL's. */
  public int port() {
    return server.actualPort();
  }

  /** Round trips so far, on every connection. */
  public long roundTrips() {
    return roundTrips.get();
  }

  @Override
  public void close() {
    TestGateway.await(vertx.close());
  }
}
