package dev.lode.collector.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lode.collector.CollectorException;
import dev.lode.collector.ReasonCode;

/**
 * The members of a Segment batch object other than its events ({@code sentAt}, {@code context},
 * {@code writeKey}), gathered while {@link WireJson#split} reads the body.
 */
public final class BatchMembers implements WireJson.MemberSink {
  private Long sentAt;
  private JsonNode context;
  private String writeKey;

  @Override
  public void accept(String name, JsonNode value) {
    switch (name) {
      case "sentAt" -> {
        try {
          sentAt = value.isTextual() ? JsonFields.parseTime("sentAt", value.textValue())
              : value.isIntegralNumber() ? value.longValue() : null;
        } catch (RejectedEvent e) {
          throw new CollectorException(400, ReasonCode.INVALID_BODY, "batch " + e.getMessage());
        }
      }
      case "context" -> context = value.isObject() ? value : null;
      case "writeKey" -> writeKey = value.isTextual() ? value.textValue() : null;
      default -> { }
    }
  }

  /** The batch's {@code sentAt} in epoch milliseconds, or null. */
  public Long sentAt() {
    return sentAt;
  }

  /** The batch's {@code context} object, or null. */
  public JsonNode context() {
    return context;
  }

  /** The batch's {@code writeKey}, or null. */
  public String writeKey() {
    return writeKey;
  }
}
