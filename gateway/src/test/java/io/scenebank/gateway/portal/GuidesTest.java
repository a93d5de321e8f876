package io.scenebank.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The integration guides ({@code docs/guides}) agree with the examples and are on the portal. Each
 * Java block a guide marks {@code <!-- from examples/...java -->} must be lines of that example as
 * they are (the examples run in {@code ExamplesTest}), so a guide cannot drift from code that runs.
 */
class GuidesTest {

  private static final Path GUIDES = Path.of("..", "docs", "guides");
  private static final Pattern EMBEDDED =
      Pattern.compile(
          "<!-- from (examples/[A-Za-z0-9/_.-]+\\.java) -->\\n```java\\n(.*?)\\n```",
          Pattern.DOTALL);

  private static List<String> guideNames() throws IOException {
    try (Stream<Path> files = Files.list(GUIDES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".md"))
          .map(n -> n.substring(0, n.length() - 3))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** Non-blank lines, without their indentation. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  @Test
  void everySceneHasAGuide_andThePortalListsEach() throws IOException {
    List<String> listed = Guides.ALL.stream().map(g -> g[0]).sorted().collect(Collectors.toList());
    assertThat(guideNames())
        .containsExactlyElementsOf(listed)
        .contains("pay-after-care", "bill-payment", "merchant-payments", "canteen");
  }

  @Test
  void everyEmbeddedExample_isCodeThatRuns() throws IOException {
    for (String guide : guideNames()) {
      String markdown = Files.readString(GUIDES.resolve(guide + ".md"), StandardCharsets.UTF_8);
      Matcher block = EMBEDDED.matcher(markdown);
      int embedded = 0;
      while (block.find()) {
        embedded++;
        List<String> example =
            lines(Files.readString(Path.of("..", block.group(1)), StandardCharsets.UTF_8));
        List<String> shown = lines(block.group(2));
        assertThat(shown).as("%s: a block from %s", guide, block.group(1)).isNotEmpty();
        assertThat(java.util.Collections.indexOfSubList(example, shown))
            .as(
                "%s shows lines that are not in %s as they stand:%n%s",
                guide, block.group(1), block.group(2))
            .isNotNegative();
      }
      assertThat(embedded).as("%s embeds code of a runnable example", guide).isPositive();
    }
  }

  @Test
  void thePayAfterCareGuide_answersTheQuestionsHospitalsAsk() throws IOException {
    String guide = Files.readString(GUIDES.resolve("pay-after-care.md"), StandardCharsets.UTF_8);
    assertThat(guide)
        .contains("`source_ref`")
        .contains("When is the hospital paid")
        .contains("several credit lines")
        .contains("inpatient")
        .contains("never settled expire")
        .contains("remind the patient")
        .contains("free text or a coded region")
        .contains("production onboarding")
        .contains("rate limits");
  }

  @Test
  void eachGuide_isAPortalPage_withLinksBetweenGuidesAsPages() throws IOException {
    Http http = new Http(TestGateway.shared().port());
    Http.Response index = http.get("/portal/guides/index.html");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.contentType()).startsWith("text/html");
    for (String guide : guideNames()) {
      assertThat(index.body()).contains("href=\"" + guide + ".html\"");
      Http.Response page = http.get("/portal/guides/" + guide + ".html");
      assertThat(page.status()).as(guide).isEqualTo(200);
      assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
      assertThat(page.body()).contains("<h1").contains("</main>").doesNotContain(".md\"");
    }
    assertThat(http.get("/portal/guides/no-such-guide.html").status()).isEqualTo(404);
    assertThat(http.get("/portal/index.html").body()).contains("href=\"guides/index.html\"");
  }
}
