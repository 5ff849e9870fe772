package dev.lode.collector.wire;

import dev.lode.collector.CollectorException;
import dev.lode.collector.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Turns a request body into text with bounded memory: reads at most the size limit
 * (413 beyond it), un-gzips when the body is gzip (by {@code Content-Encoding} or by its
 * magic bytes; the decompressed size is bounded too), and decodes UTF-8 without failing
 * the whole body on bad bytes — each bad sequence becomes U+FFFD and its position is
 * kept, so only the events containing one are quarantined.
 */
public final class BodyDecoder {
  /** Bodies this much over the limit are still read and discarded, so the client sees the 413 rather than a reset. */
  private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

  /**
   * Decoded text, the char offsets where invalid UTF-8 bytes were replaced, and whether the
   * text has a backslash-u escape anywhere (one vectorized search per body; without one, no
   * event of it can hold a NUL or a lone surrogate).
   */
  public record Text(String text, int[] invalidAt, boolean unicodeEscapes, byte[] ascii) {
    Text(String text, int[] invalidAt) {
      this(text, invalidAt, text.indexOf("\\u") >= 0, null);
    }

    /** An all-ASCII body: the text and its bytes, whose offsets are the text's (Jackson parses bytes faster). */
    static Text ascii(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      return new Text(text, new int[0], text.indexOf("\\u") >= 0, bytes);
    }

    boolean invalidBetween(int from, int to) {
      int i = Arrays.binarySearch(invalidAt, from);
      int ins = i >= 0 ? i : -i - 1;
      return ins < invalidAt.length && invalidAt[ins] < to;
    }
  }

  private BodyDecoder() {
  }

  /** Reads and (if gzip) decompresses a body of at most {@code limit} bytes before and after decompression. */
  public static byte[] read(InputStream in, long contentLength, String contentEncoding, int limit, ReasonCode tooLarge)
      throws IOException {
    String enc = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    if (!enc.isEmpty() && !enc.equals("gzip") && !enc.equals("x-gzip") && !enc.equals("identity")) {
      throw new CollectorException(415, ReasonCode.UNSUPPORTED_ENCODING, "Content-Encoding '" + contentEncoding
          + "' is not supported; send gzip or an uncompressed body");
    }
    if (contentLength > limit) {
      drain(in);
      throw tooLarge(tooLarge, "body of " + contentLength + " bytes exceeds the limit of " + limit + " bytes");
    }
    byte[] raw = contentLength >= 0 ? readExactly(in, (int) contentLength) : readBounded(in, limit);
    if (raw == null) {
      drain(in);
      throw tooLarge(tooLarge, "body exceeds the limit of " + limit + " bytes");
    }
    boolean gzipMagic = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    if (enc.contains("gzip") || gzipMagic) {
      if (!gzipMagic) {
        throw new CollectorException(400, ReasonCode.INVALID_GZIP, "Content-Encoding says gzip but the body is not gzip");
      }
      byte[] plain;
      try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 8192)) {
        plain = readBounded(gz, limit);
      } catch (EOFException e) {
        throw new CollectorException(400, ReasonCode.INVALID_GZIP, "gzip body is truncated");
      } catch (ZipException e) {
        throw new CollectorException(400, ReasonCode.INVALID_GZIP, "gzip body is corrupt: " + e.getMessage());
      }
      if (plain == null) {
        throw tooLarge(tooLarge, "decompressed body exceeds the limit of " + limit + " bytes");
      }
      raw = plain;
    }
    return raw;
  }

  private static CollectorException tooLarge(ReasonCode reason, String msg) {
    return new CollectorException(413, reason, msg);
  }

  /**
   * A body of announced length (already checked against the limit) read straight into an array
   * of that size, with no buffer growing and copying; null if the stream has more bytes than
   * announced.
   */
  private static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] b = new byte[length];
    int n = in.readNBytes(b, 0, length);
    if (n < length) {
      return java.util.Arrays.copyOf(b, n); // the client sent less than it announced: what arrived is the body
    }
    // more bytes than the announced length: the length lied, and the body is refused as too large
    return in.read() < 0 ? b : null;
  }

  /** The stream's bytes, or null if there are more than {@code limit}. */
  private static byte[] readBounded(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buf = new byte[16 * 1024];
    int total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > limit) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void drain(InputStream in) {
    try {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      for (int n; total < DRAIN_LIMIT && (n = in.read(buf)) > 0; ) {
        total += n;
      }
    } catch (IOException ignored) {
      // the client went away; the answer is the same
    }
  }

  private static boolean ascii(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** Decodes UTF-8, replacing each invalid sequence with U+FFFD and recording where; a leading BOM is dropped. */
  public static Text decode(byte[] bytes) {
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf
        ? 3 : 0;
    if (ascii(bytes, start)) {
      // most bodies: one compact copy, no decoder, no char buffer
      return start == 0 ? Text.ascii(bytes)
          : new Text(new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1), new int[0]);
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
    int[] bad = new int[0];
    int nbad = 0;
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isError()) {
        if (nbad == bad.length) {
          bad = Arrays.copyOf(bad, Math.max(8, nbad * 2));
        }
        bad[nbad++] = out.position();
        out.put('\uFFFD');
        in.position(in.position() + r.length());
        continue;
      }
      break;
    }
    d.flush(out);
    out.flip();
    return new Text(out.toString(), Arrays.copyOf(bad, nbad));
  }
}
