package io.scenebank.sdk.webhooks;

import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.Event;

/** A webhook whose signature, digest and timestamp checked out. */
public final class VerifiedWebhook {

  private final String id;
  private final Event event;
  private final boolean duplicate;

  VerifiedWebhook(String id, Event event, boolean duplicate) {
    this.id = id;
    this.event = event;
    this.duplicate = duplicate;
  }

  /** The {@code webhook-id}: the event's id, the same on every retry. */
  public String id() {
    return id;
  }

  public Event event() {
    return event;
  }

  /**
   * True if this id was seen before (a retry of a delivery you already processed): answer 2xx and
   * do nothing else.
   */
  public boolean duplicate() {
    return duplicate;
  }

  /**
   * The resource the event is about, as the given model class, e.g. {@code
   * dataAs(io.scenebank.sdk.model.Consent.class)}; check {@code event().getType()} first.
   */
  public <T> T dataAs(Class<T> type) {
    return Mapper.MAPPER.convertValue(event.getData().getObject(), type);
  }

  @Override
  public String toString() {
    return "VerifiedWebhook{id="
        + id
        + ", type="
        + event.getType()
        + ", duplicate="
        + duplicate
        + "}";
  }
}
