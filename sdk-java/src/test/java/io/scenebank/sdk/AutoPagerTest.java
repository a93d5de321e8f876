package io.scenebank.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AutoPagerTest {

  /** A list of pages by cursor: null is the first; each page names the next cursor. */
  private static final Map<String, List<String>> PAGES =
      Map.of("", List.of("a", "b"), "c2", List.of("c", "d"), "c3", List.of("e"));

  private static final Map<String, String> NEXT = Map.of("", "c2", "c2", "c3");

  private final List<String> fetched = new ArrayList<>();

  private AutoPager<String> pager() {
    return AutoPager.of(
        cursor -> {
          String key = cursor == null ? "" : cursor;
          fetched.add(key);
          return key;
        },
        PAGES::get,
        NEXT::get);
  }

  @Test
  void everyItem_inOrder_acrossPages_untilThereIsNoNextCursor() {
    assertThat(pager()).containsExactly("a", "b", "c", "d", "e");
    assertThat(fetched).containsExactly("", "c2", "c3");
  }

  @Test
  void pagesAreFetchedOnlyWhenReached() {
    Iterator<String> items = pager().iterator();
    assertThat(fetched).isEmpty();
    assertThat(items.next()).isEqualTo("a");
    assertThat(items.next()).isEqualTo("b");
    assertThat(fetched).containsExactly("");

    assertThat(pager().stream().limit(3).collect(Collectors.toList()))
        .containsExactly("a", "b", "c");
    assertThat(fetched).containsExactly("", "", "c2");
  }

  @Test
  void theEndIsTheEnd_andEachIterationStartsAgain() {
    Iterator<String> items = pager().iterator();
    items.forEachRemaining(x -> {});
    assertThat(items.hasNext()).isFalse();
    assertThatThrownBy(items::next).isInstanceOf(NoSuchElementException.class);
    AutoPager<String> pager = pager();
    assertThat(pager.stream().count()).isEqualTo(5);
    assertThat(pager.stream().count()).isEqualTo(5);
  }

  @Test
  void aFailedPage_throwsWhereTheIterationReachesIt() {
    AutoPager<String> failing =
        AutoPager.of(
            cursor -> {
              if (cursor != null) {
                throw new ServerException("page two failed", "internal_error", "req_1", 500, null);
              }
              return "";
            },
            PAGES::get,
            NEXT::get);
    Iterator<String> items = failing.iterator();
    assertThat(items.next()).isEqualTo("a");
    assertThat(items.next()).isEqualTo("b");
    assertThatThrownBy(items::hasNext).isInstanceOf(ServerException.class);
  }
}
