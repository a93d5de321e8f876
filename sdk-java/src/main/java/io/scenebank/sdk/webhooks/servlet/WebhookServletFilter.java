package io.scenebank.sdk.webhooks.servlet;

import io.scenebank.sdk.internal.webhooks.Intake;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
 * get 401; repeats get 200 without reaching your servlet. If your servlet throws or answers 5xx,
 * the delivery is forgotten, so that the gateway's retry reaches it again. (For jakarta.servlet,
 * see {@code io.scenebank.sdk.webhooks.jakarta.WebhookJakartaFilter}.)
 */
public final class WebhookServletFilter implements Filter {

  public static final String ATTRIBUTE = VerifiedWebhook.class.getName();

  private final WebhookVerifier verifier;

  public WebhookServletFilter(WebhookVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Intake.Outcome outcome =
        Intake.receive(
            verifier,
            Intake.headers(request.getHeaderNames(), request::getHeaders),
            request.getInputStream());
    if (!outcome.passOn()) {
      response.setStatus(outcome.status());
      if (outcome.answer().length > 0) {
        response.setContentType("application/json");
        response.getOutputStream().write(outcome.answer());
      }
      return;
    }
    request.setAttribute(ATTRIBUTE, outcome.webhook());
    boolean handled = false;
    try {
      chain.doFilter(new Replay(request, outcome.body()), response);
      handled = response.getStatus() < 500;
    } finally {
      if (!handled) {
        verifier.forget(outcome.webhook());
      }
    }
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
