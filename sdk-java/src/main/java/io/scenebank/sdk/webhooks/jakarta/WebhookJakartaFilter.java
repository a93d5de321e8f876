package io.scenebank.sdk.webhooks.jakarta;

import io.scenebank.sdk.internal.webhooks.Intake;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A Jakarta Servlet filter (jakarta.servlet 5+: Spring Boot 3, Tomcat 10+, Jetty 11+) in front of
 * your webhook servlet or controller: it reads the raw body, verifies it, and passes on only
 * genuine, first deliveries, with the {@link VerifiedWebhook} in the request attribute {@link
 * #ATTRIBUTE} and the body still readable. Forged or stale deliveries get 401; repeats get 200
 * without reaching your code. If your code throws or answers 5xx, the delivery is forgotten, so
 * that the gateway's retry reaches it again. It is the twin of {@code
 * io.scenebank.sdk.webhooks.servlet.WebhookServletFilter} (javax.servlet): the two servlet APIs
 * share no types, so each has its own filter over the same {@code Intake}.
 *
 * <pre>{@code
 * @Bean
 * FilterRegistrationBean<WebhookJakartaFilter> scenebankWebhooks(WebhookVerifier verifier) {
 *   var registration = new FilterRegistrationBean<>(new WebhookJakartaFilter(verifier));
 *   registration.addUrlPatterns("/scenebank/webhooks");
 *   return registration;
 * }
 * }</pre>
 */
public final class WebhookJakartaFilter implements Filter {

  public static final String ATTRIBUTE = VerifiedWebhook.class.getName();

  private final WebhookVerifier verifier;

  public WebhookJakartaFilter(WebhookVerifier verifier) {
    if (verifier == null) {
      throw new IllegalArgumentException("a WebhookJakartaFilter needs a WebhookVerifier");
    }
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
