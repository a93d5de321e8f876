package io.scenebank.gateway.support;

import io.scenebank.gateway.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor pagination, newest first. A cursor names the last item of a page (its creation time and
 * id) and the filters it was made with; a cursor used with other filters is refused.
 */
public final class Page {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** What a list request asks for: at most {@code limit} items after the cursor's position. */
  public record Request(int limit, OffsetDateTime afterCreatedAt, String afterId, String filters) {

    /** True for a page after the first (the query continues after the cursor's position). */
    public boolean hasCursor() {
      return afterId != null;
    }
  }

  private Page() {}

  /** Reads {@code limit} and {@code cursor} (already validated against the contract). */
  public static Request request(RoutingContext ctx, String filters) {
    String limitParam = ctx.request().getParam("limit");
    int limit = limitParam == null ? DEFAULT_LIMIT : Integer.parseInt(limitParam);
    String cursor = ctx.request().getParam("cursor");
    if (cursor == null) {
      return new Request(limit, null, null, filters);
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length != 3 || !parts[0].equals(filters)) {
        throw new IllegalArgumentException("other filters");
      }
      Instant at = Instant.ofEpochSecond(0, 0).plusNanos(Long.parseLong(parts[1]) * 1000);
      return new Request(limit, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), parts[2], filters);
    } catch (RuntimeException e) {
      throw Problem.badRequest(
          "cursor_invalid",
          "The cursor is not one this list returned, or the filters changed since it was made.");
    }
  }

  /** The list body from up to {@code limit + 1} rows (the extra row only tells there is more). */
  public static <T> JsonObject of(
      Request request,
      List<T> rows,
      Function<T, JsonObject> render,
      Function<T, OffsetDateTime> createdAt,
      Function<T, String> id) {
    boolean more = rows.size() > request.limit();
    List<T> page = more ? rows.subList(0, request.limit()) : rows;
    JsonArray data = new JsonArray();
    page.forEach(row -> data.add(render.apply(row)));
    JsonObject body =
        new JsonObject().put("object", "list").put("data", data).put("has_more", more);
    if (more) {
      T last = page.get(page.size() - 1);
      Instant at = createdAt.apply(last).toInstant();
      long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
      String raw = request.filters() + "\n" + micros + "\n" + id.apply(last);
      body.put(
          "next_cursor",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }
    return body;
  }
}
