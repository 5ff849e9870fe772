package dev.lode.collector.wire;

import dev.lode.collector.CollectorException;
import dev.lode.collector.ReasonCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Unwraps the form the Sensors Data SDKs post: {@code data=<base64>} (one record) or
 * {@code data_list=<base64>} (an array), base64 of gzip'd JSON when {@code gzip=1}.
 */
public final class SensorsForm {
  private SensorsForm() {
  }

  public static byte[] payload(byte[] form, int limit) throws IOException {
    Map<String, String> fields = new HashMap<>();
    for (String pair : new String(form, StandardCharsets.ISO_8859_1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new CollectorException(400, ReasonCode.INVALID_BODY, "form field is not URL-encoded: " + e.getMessage());
        }
      }
    }
    String data = fields.containsKey("data_list") ? fields.get("data_list") : fields.get("data");
    if (data == null || data.isBlank()) {
      throw new CollectorException(400, ReasonCode.EMPTY_BODY, "the form needs a 'data' or 'data_list' field");
    }
    byte[] raw;
    try {
      raw = Base64.getMimeDecoder().decode(data.strip());
    } catch (IllegalArgumentException e) {
      throw new CollectorException(400, ReasonCode.INVALID_BODY, "'data' is not base64: " + e.getMessage());
    }
    if ("1".equals(fields.get("gzip")) || "true".equals(fields.get("gzip"))) {
      return BodyDecoder.read(new ByteArrayInputStream(raw), raw.length, "gzip", limit, ReasonCode.BATCH_TOO_LARGE);
    }
    return raw;
  }
}
