package io.scenebank.gateway.hostile;

import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Signs a hostile request exactly as the contract says (token, RFC 9421 signature over the bytes
 * really sent) and sends it over a raw socket, so that nothing between the test and the gateway
 * cleans it up: the request target goes out byte for byte, header values may hold any byte, a
 * header may repeat, {@code Host} may be missing. One connection per request ({@code Connection:
 * close}).
 */
final class Wire {

  /** A request as written on the wire. */
  record Sent(
      String method, String target, List<String[]> headers, byte[] body, String issuerTarget) {

    /** The header fields by lower-case name, every line in order (as the gateway sees them). */
    Map<String, List<String>> fields() {
      Map<String, List<String>> fields = new LinkedHashMap<>();
      for (String[] h : headers) {
        fields.computeIfAbsent(h[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h[1]);
      }
      return fields;
    }
  }

  /** An answer; status 0 when no HTTP response came back ({@code error} says why). */
  record Answer(int status, Map<String, List<String>> headers, byte[] body, String error) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final TestApp app;
  private final int port;

  Wire(TestApp app) {
    this.app = app;
    this.port = app.gateway().port();
  }

  TestApp app() {
    return app;
  }

  /**
   * Builds the request of a case: signed over the body bytes as sent, then changed after signing as
   * the case says.
   */
  Sent sign(HostileCase c) {
    byte[] body = c.body();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + app.token());
    List<String> covered = new ArrayList<>(List.of("@method", "@target-uri", "authorization"));
    if (body != null) {
      if (c.contentType() != null) {
        headers.put("Content-Type", c.contentType());
      }
      headers.put("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, body));
      covered.add("content-digest");
    }
    if (c.method().equals("POST")) {
      headers.put("Idempotency-Key", UUID.randomUUID().toString());
      covered.add("idempotency-key");
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    headers.forEach((k, v) -> fields.put(k.toLowerCase(Locale.ROOT), List.of(v)));
    String issuerTarget = app.gateway().issuer() + c.target();
    SignatureSpec spec =
        SignatureSpec.builder()
            .components(covered.toArray(new String[0]))
            .created(Instant.now().getEpochSecond())
            .nonce(HttpSignatures.newNonce())
            .tag("scenebank")
            .includeAlg(true)
            .build();
    CreatedSignature signature =
        HttpSignatures.sign(
            Message.request(c.method(), issuerTarget, fields), spec, app.key().signer());
    List<String[]> lines = new ArrayList<>();
    if (!c.tamper().contains(HostileCase.Tamper.NO_HOST)) {
      lines.add(new String[] {"Host", "127.0.0.1:" + port});
    }
    headers.forEach((k, v) -> lines.add(new String[] {k, v}));
    lines.add(new String[] {"Signature-Input", signature.signatureInputHeader()});
    lines.add(new String[] {"Signature", signature.signatureHeader()});
    for (String[] extra : c.extraHeaders()) {
      lines.add(extra);
    }
    if (c.tamper().contains(HostileCase.Tamper.SECOND_SIGNATURE)) {
      lines.add(new String[] {"Signature", "sig1=:Z2FyYmFnZQ==:"});
    }
    if (c.tamper().contains(HostileCase.Tamper.SECOND_SIGNATURE_GARBAGE)) {
      lines.add(new String[] {"Signature", "%%% not a dictionary {"});
    }
    if (c.tamper().contains(HostileCase.Tamper.SECOND_SIGNATURE_INPUT)) {
      lines.add(new String[] {"Signature-Input", "sig1=(\"@method\");created=1;keyid=\"x\""});
    }
    if (c.tamper().contains(HostileCase.Tamper.SECOND_SIGNATURE_INPUT_GARBAGE)) {
      lines.add(new String[] {"Signature-Input", "%%% not a dictionary {"});
    }
    if (body != null) {
      lines.add(new String[] {"Content-Length", Integer.toString(body.length)});
    }
    lines.add(new String[] {"Connection", "close"});
    return new Sent(c.method(), c.target(), lines, body, issuerTarget);
  }

  Answer send(Sent sent) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    write(request, sent.method() + " " + sent.target() + " HTTP/1.1\r\n");
    for (String[] h : sent.headers()) {
      write(request, h[0] + ": " + h[1] + "\r\n");
    }
    write(request, "\r\n");
    if (sent.body() != null) {
      request.writeBytes(sent.body());
    }
    return exchange(request.toByteArray());
  }

  private static void write(ByteArrayOutputStream out, String text) {
    // header bytes as given: a NUL stays a NUL byte
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private Answer exchange(byte[] request) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    String error = null;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // the gateway may answer and close before reading everything: read what it said
        error = "write failed: " + e;
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16384];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received.write(buffer, 0, n);
        }
      } catch (IOException e) {
        error = (error == null ? "" : error + "; ") + "read failed: " + e;
      }
    } catch (IOException e) {
      error = "connect failed: " + e;
    }
    return parse(received.toByteArray(), error);
  }

  static Answer parse(byte[] bytes, String error) {
    int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      return new Answer(
          0,
          Map.of(),
          bytes,
          (error == null ? "" : error + "; ")
              + "no complete HTTP response ("
              + bytes.length
              + " B)");
    }
    String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (RuntimeException e) {
      return new Answer(0, Map.of(), bytes, "bad status line: " + lines[0]);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        // the client reads UTF-8 header values as sent by the gateway
        value = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }
    byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    List<String> te = headers.get("transfer-encoding");
    List<String> cl = headers.get("content-length");
    byte[] body;
    if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      body = dechunk(rest);
    } else if (cl != null) {
      int length = Integer.parseInt(cl.get(0));
      body = java.util.Arrays.copyOf(rest, Math.min(length, rest.length));
      if (rest.length < length) {
        error = (error == null ? "" : error + "; ") + "truncated body";
      }
    } else {
      body = rest;
    }
    return new Answer(status, headers, body, error);
  }

  private static byte[] dechunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < data.length) {
      int lineEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
      int semicolon = sizeText.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon >= 0 ? sizeText.substring(0, semicolon) : sizeText).trim(), 16);
      if (size == 0) {
        break;
      }
      int start = lineEnd + 2;
      out.write(data, start, Math.min(size, data.length - start));
      pos = start + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] needle) {
    return indexOf(data, needle, 0);
  }

  private static int indexOf(byte[] data, byte[] needle, int from) {
    outer:
    for (int i = from; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
