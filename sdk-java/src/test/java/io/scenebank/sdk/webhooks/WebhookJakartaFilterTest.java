package io.scenebank.sdk.webhooks;

import io.scenebank.sdk.webhooks.jakarta.WebhookJakartaFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The jakarta.servlet filter in a real servlet container (Tomcat 11, as Spring Boot embeds). */
class WebhookJakartaFilterTest extends WebhookReceiverContract {

  Tomcat tomcat;

  @Override
  URI startReceiver(WebhookVerifier verifier) throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(
        context,
        "hooks",
        new HttpServlet() {
          @Override
          protected void doPost(HttpServletRequest req, HttpServletResponse resp)
              throws java.io.IOException {
            application(
                (VerifiedWebhook) req.getAttribute(WebhookJakartaFilter.ATTRIBUTE),
                new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            resp.setStatus(204);
          }
        });
    context.addServletMappingDecoded("/hooks", "hooks");
    FilterDef filter = new FilterDef();
    filter.setFilterName("scenebank-webhooks");
    filter.setFilter(new WebhookJakartaFilter(verifier));
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("scenebank-webhooks");
    mapping.addURLPattern("/hooks");
    context.addFilterMap(mapping);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.start();
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/hooks");
  }

  @Override
  void stopReceiver() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
