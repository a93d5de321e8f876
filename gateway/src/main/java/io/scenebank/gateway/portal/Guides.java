package io.scenebank.gateway.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The integration guides ({@code docs/guides/*.md}, packaged as {@code portal-guides/}) as portal
 * pages: {@code /portal/guides/<name>.html}, rendered from the Markdown in the portal's frame.
 * Links between guides ({@code other.md}) become links between pages.
 */
final class Guides {

  static final String ROOT = "portal-guides/";

  /** The guides, in the order the portal lists them: file name and title. */
  static final List<String[]> ALL =
      List.of(
          new String[] {"pay-after-care", "Pay-after-care for a hospital's HIS · 先诊疗后付费"},
          new String[] {"bill-payment", "Bill payment for a channel · 生活缴费"},
          new String[] {"merchant-payments", "QR and payer-code payments for a shop · 扫码支付"},
          new String[] {"canteen", "A canteen's POS · 智慧食堂"});

  private static final Pattern NAME = Pattern.compile("guides/([a-z0-9-]{1,64})\\.html");

  private static final List<Extension> EXTENSIONS =
      List.of(TablesExtension.create(), HeadingAnchorExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder().extensions(EXTENSIONS).build();

  private Guides() {}

  /** The page for a portal file name such as {@code guides/canteen.html}, if it is a guide. */
  static Optional<byte[]> page(String name) {
    var m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    String markdown;
    try (InputStream in =
        Guides.class.getClassLoader().getResourceAsStream(ROOT + m.group(1) + ".md")) {
      if (in == null) {
        return Optional.empty();
      }
      markdown = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Node document = PARSER.parse(markdown);
    String[] title = {m.group(1)};
    document.accept(
        new AbstractVisitor() {
          @Override
          public void visit(Heading heading) {
            if (heading.getLevel() == 1 && heading.getFirstChild() instanceof Text text) {
              title[0] = text.getLiteral();
            }
            visitChildren(heading);
          }

          @Override
          public void visit(Link link) {
            String target = link.getDestination();
            // another guide: its page
            if (target.matches("[a-z0-9-]+\\.md(#.*)?")) {
              link.setDestination(target.replaceFirst("\\.md", ".html"));
            }
            visitChildren(link);
          }
        });
    String html = frame(title[0], "guide", RENDERER.render(document));
    return Optional.of(html.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code guides/index.html}: the list of guides. */
  static byte[] index() {
    StringBuilder items = new StringBuilder();
    for (String[] guide : ALL) {
      items
          .append("<li><a href=\"")
          .append(guide[0])
          .append(".html\">")
          .append(escape(guide[1]))
          .append("</a></li>\n");
    }
    String html =
        frame(
            "Integration guides",
            "guides",
            "<h1>Integration guides · 接入指南</h1>\n<p>One page per scene: the SDK calls in order,"
                + " the events to expect and the failures to handle.</p>\n<ul>\n"
                + items
                + "</ul>\n");
    return html.getBytes(StandardCharsets.UTF_8);
  }

  /** A portal page around a body, with the portal's header (pages are one folder down). */
  private static String frame(String title, String kind, String body) {
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + escape(title)
        + " · Scenebank developer portal</title>\n"
        + "<link rel=\"icon\" href=\"../assets/favicon.svg\" type=\"image/svg+xml\">\n"
        + "<link rel=\"stylesheet\" href=\"../assets/portal.css\">\n</head>\n"
        + "<body class=\"page-"
        + kind
        + "\">\n<header class=\"site-header\">\n"
        + "<nav class=\"site-nav\" aria-label=\"Portal\">\n"
        + "<a class=\"brand\" href=\"../index.html\">Scenebank <span>开发者门户</span></a>\n"
        + "<a href=\"../index.html\">Overview 概览</a>\n"
        + "<a href=\"../signatures.html\">Signatures 签名</a>\n"
        + "<a href=\"../reference.html\">API reference 接口</a>\n"
        + "<a href=\"index.html\" aria-current=\"page\">Guides 指南</a>\n"
        + "</nav>\n</header>\n<main class=\"page "
        + kind
        + "\" id=\"main\">\n"
        + body
        + "</main>\n</body>\n</html>\n";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
