package dev.lode.collector.spool;

import dev.lode.collector.CollectedEvent;
import dev.lode.warehouse.insert.TargetTable;

import dev.lode.warehouse.insert.ColumnType;
import dev.lode.warehouse.insert.RowBinaryOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Turns spooled event records ({@link SpoolCodec}'s form) straight into rows of the
 * {@code events} table in RowBinary, in {@code TargetTable.EVENTS} column order, without
 * decoding them into {@link CollectedEvent}s: the spool's strings are UTF-8 with a length,
 * which RowBinary takes as they are. Decoding every record into strings and a map only to
 * encode them again was most of the flusher's CPU and much of the young garbage.
 */
final class SpoolRows {
  private final byte[] b;
  private int pos;

  private SpoolRows(byte[] frames, int offset) {
    this.b = frames;
    this.pos = offset;
  }

  /** Whether the record at {@code offset} is an event (not a quarantined one). */
  static boolean isEvent(byte[] frames, int offset) {
    return frames[offset] == SpoolCodec.EVENT;
  }

  /**
   * The row key ({@link CollectedEvent#rowKey}) of the event at {@code offset}: a later record
   * with the same key in one flush (a dwell update of a page view, or one message sent under
   * two write keys) replaces the earlier, as the table's merges would.
   */
  static String rowKey(byte[] frames, int offset) {
    SpoolRows r = new SpoolRows(frames, offset + 1);
    int idFrom = r.pos + 4;
    int idLen = r.skipString();
    long eventTime = r.int64();
    r.pos += 16; // received, sent
    int distinctFrom = r.pos + 4;
    int distinctLen = r.skipString();
    return CollectedEvent.rowKey(new String(frames, distinctFrom, distinctLen, StandardCharsets.UTF_8), eventTime,
        new String(frames, idFrom, idLen, StandardCharsets.UTF_8));
  }

  /** Writes the event record at {@code offset} as one row of the events table. */
  static void writeEvent(byte[] frames, int offset, RowBinaryOutput out) throws IOException {
    SpoolRows r = new SpoolRows(frames, offset);
    if (frames[r.pos++] != SpoolCodec.EVENT) {
      throw new IllegalArgumentException("not an event record");
    }
    r.string(out); // event_id
    out.writeInt64(r.int64()); // event_time
    out.writeInt64(r.int64()); // received_time
    long sent = r.int64();
    if (sent == Long.MIN_VALUE) {
      out.writeByte(1);
    } else {
      out.writeByte(0);
      out.writeInt64(sent);
    }
    r.strings(out, 3); // distinct_id, anonymous_id, user_id
    out.writeVarUInt(0); // person_id: resolved later by the identity resolver
    r.strings(out, 9); // event_type, event_name, session_id, url, page, title, referrer, item_id, category
    r.decimal(out); // price
    out.writeInt32((int) r.int64()); // quantity
    r.decimal(out); // revenue
    out.writeInt64(r.int64()); // dwell_ms
    r.strings(out, 9); // device_type, os, browser, user_agent, ip, locale, country, region, city
    int props = (int) r.int64();
    out.writeVarUInt(props);
    r.strings(out, 2 * props);
    r.string(out); // source
    out.writeInt16((int) r.int64()); // retention_days
  }

  private int int32() {
    int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  private long int64() {
    long hi = int32();
    long lo = int32() & 0xffffffffL;
    return (hi << 32) | lo;
  }

  private int skipString() {
    int len = int32();
    pos += len;
    return len;
  }

  private void string(RowBinaryOutput out) throws IOException {
    int len = int32();
    out.writeVarUInt(len);
    out.writeBytes(b, pos, len);
    pos += len;
  }

  private void strings(RowBinaryOutput out, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      string(out);
    }
  }

  /** A Nullable(Decimal(18, 4)): the spool's scale and unscaled bytes as a long scaled by 10^4 (HALF_UP). */
  private void decimal(RowBinaryOutput out) throws IOException {
    int scale = int32();
    if (scale == Integer.MIN_VALUE) {
      out.writeByte(1);
      return;
    }
    int len = int32();
    long scaled;
    if (scale == ColumnType.SCALE && len <= 8) {
      // the collector stores amounts at scale 4 already: the unscaled value is the column value
      long v = b[pos]; // sign-extended
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (b[pos + i] & 0xff);
      }
      scaled = v;
    } else {
      byte[] unscaled = java.util.Arrays.copyOfRange(b, pos, pos + len);
      scaled = new BigDecimal(new BigInteger(unscaled), scale).movePointRight(ColumnType.SCALE)
          .setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
    pos += len;
    out.writeByte(0);
    out.writeInt64(scaled);
  }
}
