package dev.lode.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The records a load file holds, estimated by its lines (less a CSV or TSV header line) for a
 * progress bar's total; quoted line breaks make it high, which the bar corrects at the end.
 */
final class LineCount {
  private LineCount() {
  }

  static long records(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    long lines = 0;
    int lastByte = '\n';
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
        lastByte = buf[n - 1];
      }
    }
    if (lastByte != '\n') {
      lines++;
    }
    boolean header = !name.matches(".*\\.(jsonl|ndjson|json)(\\.gz)?$");
    return Math.max(0, header ? lines - 1 : lines);
  }
}
