package dev.lode.collector.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.collector.CollectorException;
import dev.lode.collector.ReasonCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a JSON request body into its events, remembering each event's text so a bad
 * one can be quarantined verbatim and an oversize one refused without failing the rest.
 * Number and nesting limits keep a hostile body from costing more than its size.
 */
public final class WireJson {
  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(1000).build())
      .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final int RAW_LIMIT = 64 * 1024;

  private WireJson() {
  }

  /**
   * Reads a top-level object. Members named {@code arrayField} (when not null) that hold an
   * array are split into items; other members go to {@code onMember}. With {@code topArray},
   * a top-level array is taken as the array of items itself; without {@code arrayField}, a
   * top-level object is one item.
   */
  public static List<RequestItem> split(BodyDecoder.Text body, String arrayField, boolean topArray, int maxEventBytes,
                                 MemberSink onMember) {
    String text = body.text();
    if (text.isBlank()) {
      throw new CollectorException(400, ReasonCode.EMPTY_BODY, "the request body is empty");
    }
    List<RequestItem> items = new ArrayList<>();
    try (JsonParser p = body.ascii() != null ? MAPPER.createParser(body.ascii()) : MAPPER.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY && topArray) {
        readArray(p, body, maxEventBytes, items);
      } else if (t == JsonToken.START_OBJECT && arrayField != null) {
        boolean sawArray = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if (name.equals(arrayField) && v == JsonToken.START_ARRAY) {
            readArray(p, body, maxEventBytes, items);
            sawArray = true;
          } else {
            JsonNode node = p.readValueAsTree();
            onMember.accept(name, node);
          }
        }
        if (!sawArray) {
          throw new CollectorException(400, ReasonCode.INVALID_BODY, "the body needs a '" + arrayField
              + "' array of events");
        }
      } else if (t == JsonToken.START_OBJECT) {
        int from = offset(p.currentTokenLocation());
        JsonNode node = p.readValueAsTree();
        int to = offset(p.currentLocation());
        items.add(item(0, node, body, from, to, maxEventBytes));
      } else {
        throw new CollectorException(400, ReasonCode.INVALID_BODY, "the body must be a JSON object"
            + (arrayField == null ? "" : " with a '" + arrayField + "' array") + (topArray ? " or an array" : "")
            + ", got " + describe(t));
      }
      if (p.nextToken() != null) {
        throw new CollectorException(400, ReasonCode.MALFORMED_JSON, "unexpected content after the JSON value at char "
            + offset(p.currentTokenLocation()));
      }
    } catch (JsonProcessingException e) {
      throw new CollectorException(400, ReasonCode.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage()
          + locationOf(e));
    } catch (IOException e) {
      throw new CollectorException(400, ReasonCode.MALFORMED_JSON, "malformed JSON: " + e.getMessage());
    }
    return items;
  }

  /** Receives the non-event members of a batch object (sentAt, context, writeKey, …). */
  public interface MemberSink {
    void accept(String name, JsonNode value);
  }

  private static void readArray(JsonParser p, BodyDecoder.Text body, int maxEventBytes, List<RequestItem> items)
      throws IOException {
    int index = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        throw new CollectorException(400, ReasonCode.MALFORMED_JSON, "malformed JSON: unterminated array");
      }
      int from = offset(p.currentTokenLocation());
      JsonNode node = p.readValueAsTree();
      int to = offset(p.currentLocation());
      items.add(item(index++, node, body, from, to, maxEventBytes));
    }
  }

  private static RequestItem item(int index, JsonNode node, BodyDecoder.Text body, int from, int to,
                                  int maxEventBytes) {
    int chars = to - from;
    if (chars > maxEventBytes / 4) {
      int bytes = EventScan.utf8Length(body.text().substring(from, Math.min(to, body.text().length())));
      if (bytes > maxEventBytes) {
        return new RequestItem(index, node, body, from, to, ReasonCode.EVENT_TOO_LARGE, "event is " + bytes
            + " bytes; the limit per event is " + maxEventBytes);
      }
    }
    if (body.invalidBetween(from, to)) {
      return new RequestItem(index, node, body, from, to, ReasonCode.INVALID_UTF8,
          "event contains bytes that are not valid UTF-8");
    }
    if (!node.isObject()) {
      return new RequestItem(index, node, body, from, to, ReasonCode.SCHEMA_VIOLATION,
          "an event must be a JSON object, got " + JsonFields.kind(node));
    }
    return new RequestItem(index, node, body, from, to, null, null);
  }

  /**
   * Where a location is in the body's text: its char offset, or for an ASCII body parsed as
   * bytes its byte offset, which is the same.
   */
  private static int offset(com.fasterxml.jackson.core.JsonLocation l) {
    long bytes = l.getByteOffset();
    return (int) (bytes >= 0 ? bytes : l.getCharOffset());
  }

  static String clip(String raw) {
    return raw.length() <= RAW_LIMIT ? raw : raw.substring(0, RAW_LIMIT) + "…[clipped]";
  }

  private static String describe(JsonToken t) {
    return t == null ? "nothing" : switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }
}
