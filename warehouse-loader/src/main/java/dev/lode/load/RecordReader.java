package dev.lode.load;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a source file record by record: CSV, TSV or JSON lines, gzip or plain. Fields are
 * read by position (delimited files, resolved from the header once) or by name (JSON).
 */
public interface RecordReader extends Closeable {

  /** Column names of a delimited file (from its header or the mapping), or null for JSON lines. */
  List<String> columns();

  /** Advances to the next record; false at the end. */
  boolean next() throws IOException;

  /** Field by position, or "" when the record is short. */
  String get(int index);

  /** Field by name (JSON: dotted paths into nested objects; delimited: via the header). */
  String get(String name);

  /** 1-based physical line where the current record starts. */
  long line();

  /** The current record's text as it stood in the file. */
  String raw();

  /** Number of fields in the current record (delimited), or -1. */
  int width();

  /** Position of a named column in a delimited file, or -1 (JSON lines: fields are read by name). */
  default int indexOf(String name) {
    return -1;
  }

  /** Opens {@code file} in the format the mapping names, else the one its extension says. */
  static RecordReader open(Path file, MappingSpec spec) throws IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (name.endsWith(".gz") || isGzip(in)) {
      in = new GZIPInputStream(in, 1 << 16);
      name = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    String format = spec.format() != null ? spec.format()
        : name.endsWith(".tsv") || name.endsWith(".tab") ? "tsv"
        : name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json") ? "jsonl" : "csv";
    return switch (format) {
      case "csv" -> new PrefetchingReader(
          new DelimitedReader(r, spec.delimiter() == null ? ',' : spec.delimiter().charAt(0), true, spec));
      case "tsv" -> new PrefetchingReader(
          new DelimitedReader(r, spec.delimiter() == null ? '\t' : spec.delimiter().charAt(0), false, spec));
      case "jsonl" -> new JsonLinesReader(r);
      default -> throw new IllegalArgumentException("unknown format '" + format + "': expected csv, tsv or jsonl");
    };
  }

  private static boolean isGzip(InputStream in) throws IOException {
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    return a == 0x1f && b == 0x8b;
  }
}
