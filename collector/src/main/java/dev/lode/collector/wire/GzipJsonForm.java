package dev.lode.collector.wire;

import java.util.Locale;

/**
 * The body RudderStack's Node SDK posts to {@code /v1/batch}: gzip'd JSON whose
 * {@code Content-Type} is axios's default {@code application/x-www-form-urlencoded}, because the
 * SDK sets {@code Content-Encoding: gzip} on a Buffer and no type. RudderStack's own server
 * decides on the body; so does the collector, for this shape only: a form type with gzip
 * encoding whose decompressed body is a JSON object. Any other form body stays a 415.
 */
public final class GzipJsonForm {
  private GzipJsonForm() {
  }

  /** Whether the headers are this shape's: a form {@code Content-Type} with {@code Content-Encoding: gzip}. */
  public static boolean declared(String contentType, String contentEncoding) {
    if (contentType == null || contentEncoding == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
    String enc = contentEncoding.strip().toLowerCase(Locale.ROOT);
    return type.equals("application/x-www-form-urlencoded") && (enc.equals("gzip") || enc.equals("x-gzip"));
  }

  /** Whether the decompressed body is a JSON object (its first character past whitespace is '{'), not form fields. */
  public static boolean isJsonObject(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '{';
    }
    return false;
  }
}
