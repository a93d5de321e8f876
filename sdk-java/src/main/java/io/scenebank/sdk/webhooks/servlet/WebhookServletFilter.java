package io.scenebank.sdk.webhooks.servlet;

import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerificationException;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;

/**
 * A Servlet filter (javax.servlet 3.1+) in front of your webhook servlet: it reads the raw body,
 * verifies it, and passes on only genuine, first deliveries, with the {@link VerifiedWebhook} in
 * the request attribute {@link #ATTRIBUTE} and the body still readable. Forged or stale deliveries
 * get 401; repeats get 200 without reaching your servlet.
 */
public final class WebhookServletFilter implements Filter {

  public static final String ATTRIBUTE = VerifiedWebhook.class.getName();
  static final int MAX_BODY = 1024 * 1024;

  private final WebhookVerifier verifier;

  public WebhookServletFilter(WebhookVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    byte[] body = readBody(request.getInputStream());
    if (body == null) {
      response.sendError(413);
      return;
    }
    VerifiedWebhook webhook;
    try {
      webhook = verifier.verify(headers(request), body);
    } catch (WebhookVerificationException e) {
      response.setStatus(401);
      response.setContentType("application/json");
      response
          .getOutputStream()
          .write(("{\"error\":\"" + e.code() + "\"}").getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (webhook.duplicate()) {
      response.setStatus(200);
      return;
    }
    request.setAttribute(ATTRIBUTE, webhook);
    chain.doFilter(new Replay(request, body), response);
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    return headers;
  }

  /** The request with its body readable again. */
  private static final class Replay extends HttpServletRequestWrapper {
    private final byte[] body;

    Replay(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }

        @Override
        public int read() {
          return in.read();
        }
      };
    }
  }
}
