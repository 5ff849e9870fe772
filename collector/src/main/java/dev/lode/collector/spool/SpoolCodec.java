package dev.lode.collector.spool;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.QuarantinedEvent;
import dev.lode.collector.ReasonCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The spool's binary form of events and quarantined events (compact, versioned by a kind byte). */
final class SpoolCodec {
  static final byte EVENT = 1;
  static final byte QUARANTINE = 2;

  private SpoolCodec() {
  }

  static byte[] encode(Object record) {
    Out o = new Out(1024);
    encode(record, o);
    return o.toByteArray();
  }

  /** Appends the record's binary form to {@code o} (the spool frames a request's records in one buffer). */
  static void encode(Object record, Out o) {
    if (record instanceof CollectedEvent e) {
      o.b(EVENT);
      o.s(e.eventId()).l(e.eventTime()).l(e.receivedTime()).l(e.sentTime() == null ? Long.MIN_VALUE : e.sentTime());
      o.s(e.distinctId()).s(e.anonymousId()).s(e.userId()).s(e.eventType()).s(e.eventName()).s(e.sessionId());
      o.s(e.url()).s(e.page()).s(e.title()).s(e.referrer()).s(e.itemId()).s(e.category());
      o.d(e.price()).l(e.quantity()).d(e.revenue()).l(e.dwellMs());
      o.s(e.deviceType()).s(e.os()).s(e.browser()).s(e.userAgent()).s(e.ip()).s(e.locale()).s(e.country());
      o.s(e.region()).s(e.city());
      o.l(e.properties().size());
      e.properties().forEach((k, v) -> o.s(k).s(v));
      o.s(e.source()).l(e.retentionDays());
    } else if (record instanceof QuarantinedEvent q) {
      o.b(QUARANTINE);
      o.l(q.receivedTime()).s(q.source()).s(q.reason().name()).s(q.detail()).s(q.rawPayload()).s(q.file()).l(q.line());
    } else {
      throw new IllegalArgumentException(String.valueOf(record));
    }
  }

  static Object decode(ByteBuffer b) {
    byte kind = b.get();
    if (kind == EVENT) {
      String eventId = s(b);
      long eventTime = b.getLong();
      long received = b.getLong();
      long sent = b.getLong();
      String distinct = s(b), anon = s(b), user = s(b), type = s(b), name = s(b), session = s(b);
      String url = s(b), page = s(b), title = s(b), referrer = s(b), item = s(b), category = s(b);
      BigDecimal price = d(b);
      int quantity = (int) b.getLong();
      BigDecimal revenue = d(b);
      long dwell = b.getLong();
      String device = s(b), os = s(b), browser = s(b), ua = s(b), ip = s(b), locale = s(b), country = s(b);
      String region = s(b), city = s(b);
      int n = (int) b.getLong();
      Map<String, String> props = new LinkedHashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        props.put(s(b), s(b));
      }
      String source = s(b);
      int retention = (int) b.getLong();
      return new CollectedEvent(eventId, eventTime, received, sent == Long.MIN_VALUE ? null : sent, distinct, anon, user,
          type, name, session, url, page, title, referrer, item, category, price, quantity, revenue, dwell, device, os,
          browser, ua, ip, locale, country, region, city, props, source, retention);
    }
    if (kind == QUARANTINE) {
      long received = b.getLong();
      String source = s(b);
      ReasonCode reason = ReasonCode.valueOf(s(b));
      return new QuarantinedEvent(received, source, reason, s(b), s(b), s(b), b.getLong());
    }
    throw new IllegalStateException("unknown spool record kind " + kind);
  }

  private static String s(ByteBuffer b) {
    int len = b.getInt();
    String v = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
    b.position(b.position() + len);
    return v;
  }

  private static BigDecimal d(ByteBuffer b) {
    int scale = b.getInt();
    if (scale == Integer.MIN_VALUE) {
      return null;
    }
    int len = b.getInt();
    byte[] unscaled = new byte[len];
    b.get(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  /** A growable big-endian writer (unsynchronized, unlike ByteArrayOutputStream). */
  static final class Out {
    private byte[] buf;
    private int n;

    Out(int capacity) {
      buf = new byte[Math.max(64, capacity)];
    }

    int size() {
      return n;
    }

    byte[] array() {
      return buf;
    }

    /** Overwrites the int at {@code at} (a frame's length or checksum, known once its record is written). */
    void putInt(int at, int v) {
      buf[at] = (byte) (v >>> 24);
      buf[at + 1] = (byte) (v >>> 16);
      buf[at + 2] = (byte) (v >>> 8);
      buf[at + 3] = (byte) v;
    }

    private void ensure(int more) {
      if (n + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
      }
    }

    Out b(byte v) {
      ensure(1);
      buf[n++] = v;
      return this;
    }

    Out i(int v) {
      ensure(4);
      buf[n++] = (byte) (v >>> 24);
      buf[n++] = (byte) (v >>> 16);
      buf[n++] = (byte) (v >>> 8);
      buf[n++] = (byte) v;
      return this;
    }

    Out l(long v) {
      i((int) (v >>> 32));
      return i((int) v);
    }

    Out s(String v) {
      // ASCII (almost every tracked value) is copied char by char, without an intermediate byte[]
      int len = v.length();
      ensure(4 + len);
      int at = n + 4;
      int i = 0;
      while (i < len) {
        char c = v.charAt(i);
        if (c >= 0x80) {
          break;
        }
        buf[at + i] = (byte) c;
        i++;
      }
      if (i == len) {
        i(len);
        n += len;
        return this;
      }
      byte[] u = v.getBytes(StandardCharsets.UTF_8);
      i(u.length);
      ensure(u.length);
      System.arraycopy(u, 0, buf, n, u.length);
      n += u.length;
      return this;
    }

    Out d(BigDecimal v) {
      if (v == null) {
        return i(Integer.MIN_VALUE);
      }
      byte[] u = v.unscaledValue().toByteArray();
      i(v.scale());
      i(u.length);
      ensure(u.length);
      System.arraycopy(u, 0, buf, n, u.length);
      n += u.length;
      return this;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, n);
    }
  }
}
