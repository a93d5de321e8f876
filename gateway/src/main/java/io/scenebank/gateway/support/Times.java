package io.scenebank.gateway.support;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Timestamps as the API writes them: RFC 3339 in China Standard Time, to the second. */
public final class Times {

  public static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  private Times() {}

  public static String format(OffsetDateTime time) {
    return time == null
        ? null
        : time.withOffsetSameInstant(CHINA)
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
