package io.scenebank.sdk;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every item of a list, across its pages: the next page is fetched only when the items before it
 * have been consumed, following {@code next_cursor} until there is none. Iterate it, or {@link
 * #stream()} it (and stop early with {@code limit} or {@code takeWhile}: no page beyond is
 * fetched). Each iteration starts again from the first page. A page that cannot be fetched throws
 * the call's exception where the iteration reaches it.
 *
 * <pre>{@code
 * for (Debt debt : client.care().listAllDebts(new DebtQuery().status(Debt.StatusEnum.OVERDUE))) {
 *   remind(debt);
 * }
 * }</pre>
 */
public final class AutoPager<T> implements Iterable<T> {

  private final Function<String, ?> fetch;
  private final Function<Object, List<T>> items;
  private final Function<Object, String> next;

  @SuppressWarnings("unchecked")
  private <L> AutoPager(
      Function<String, L> fetch, Function<L, List<T>> items, Function<L, String> next) {
    this.fetch = fetch;
    this.items = page -> items.apply((L) page);
    this.next = page -> next.apply((L) page);
  }

  /**
   * @param fetch a page: the first for a null cursor, else the one after it
   */
  static <L, T> AutoPager<T> of(
      Function<String, L> fetch, Function<L, List<T>> items, Function<L, String> next) {
    return new AutoPager<>(fetch, items, next);
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<T>() {
      private Iterator<T> page;
      private String cursor;
      private boolean last;

      @Override
      public boolean hasNext() {
        while ((page == null || !page.hasNext()) && !last) {
          Object fetched = fetch.apply(cursor);
          List<T> data = items.apply(fetched);
          page = data == null ? List.<T>of().iterator() : data.iterator();
          cursor = next.apply(fetched);
          last = cursor == null || cursor.isEmpty();
        }
        return page != null && page.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more items");
        }
        return page.next();
      }
    };
  }

  /** The items as a sequential stream, fetching pages as it is consumed. */
  public Stream<T> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }
}
