package io.scenebank.sdk.webhooks;

import io.scenebank.sdk.webhooks.servlet.WebhookServletFilter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/** The javax.servlet filter in a real servlet container (Jetty 9). */
class WebhookServletFilterTest extends WebhookReceiverContract {

  Server jetty;

  @Override
  URI startReceiver(WebhookVerifier verifier) throws Exception {
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new WebhookServletFilter(verifier)),
        "/hooks",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doPost(HttpServletRequest req, HttpServletResponse resp)
                  throws java.io.IOException {
                application(
                    (VerifiedWebhook) req.getAttribute(WebhookServletFilter.ATTRIBUTE),
                    new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                resp.setStatus(204);
              }
            }),
        "/hooks");
    jetty.setHandler(context);
    jetty.start();
    return URI.create(
        "http://127.0.0.1:"
            + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
            + "/hooks");
  }

  @Override
  void stopReceiver() throws Exception {
    jetty.stop();
  }
}
