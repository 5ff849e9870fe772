package dev.lode.warehouse.insert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes ClickHouse RowBinary values (little-endian fixed widths, LEB128 lengths) into a
 * buffer flushed to the insert's request stream; the loaders serialize rows themselves so
 * a file streams into one {@code INSERT … FORMAT RowBinary} without per-row objects.
 */
public final class RowBinaryOutput {
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int pos;

  public RowBinaryOutput(OutputStream out) {
    this.out = out;
  }

  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      flush();
    }
  }

  public void writeByte(int b) throws IOException {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  public void writeVarUInt(long v) throws IOException {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  public void writeInt16(int v) throws IOException {
    ensure(2);
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
  }

  public void writeInt32(int v) throws IOException {
    ensure(4);
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 24);
  }

  public void writeInt64(long v) throws IOException {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  public void writeFloat32(float v) throws IOException {
    writeInt32(Float.floatToIntBits(v));
  }

  public void writeString(String s) throws IOException {
    if (s.isEmpty()) {
      writeVarUInt(0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarUInt(b.length);
    if (b.length > buf.length - pos) {
      flush();
      if (b.length > buf.length) {
        out.write(b);
        return;
      }
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** Writes {@code len} bytes as they are (a value already in RowBinary form, e.g. a string's UTF-8 bytes). */
  public void writeBytes(byte[] b, int off, int len) throws IOException {
    if (len > buf.length - pos) {
      flush();
      if (len > buf.length) {
        out.write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  public void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }
}
