package dev.lode.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Set;

/**
 * How the chunks of a streamed result join into one response. chDB formats every chunk
 * as a complete block, so formats with a header ({@code RowBinaryWithNamesAndTypes},
 * {@code TSVWithNames}, …) repeat it in each chunk: the repeats are cut. Formats whose
 * chunks cannot be joined at all (JSON, Pretty, Parquet, …) are not streamed.
 */
enum ChunkFraming {
  /** Chunks concatenate as they are. */
  CONCAT,
  /** A RowBinary header: a varint column count, then that many names (and types). */
  BINARY_NAMES,
  BINARY_NAMES_AND_TYPES,
  /** Text header lines: one (names) or two (names and types). */
  TEXT_ONE_LINE,
  TEXT_TWO_LINES;

  private static final Set<String> CONCAT_FORMATS = Set.of("TABSEPARATED", "TSV", "TABSEPARATEDRAW", "TSVRAW", "CSV",
      "JSONEACHROW", "JSONCOMPACTEACHROW", "JSONLINES", "NDJSON", "NATIVE", "ROWBINARY", "VALUES", "JSONSTRINGSEACHROW",
      "JSONCOMPACTSTRINGSEACHROW", "LINEASSTRING");

  /** The framing for a format, or null when results in that format must be produced in one piece. */
  static ChunkFraming of(String format) {
    String f = format.toUpperCase(Locale.ROOT);
    if (CONCAT_FORMATS.contains(f)) {
      return CONCAT;
    }
    return switch (f) {
      case "ROWBINARYWITHNAMES" -> BINARY_NAMES;
      case "ROWBINARYWITHNAMESANDTYPES" -> BINARY_NAMES_AND_TYPES;
      case "TABSEPARATEDWITHNAMES", "TSVWITHNAMES", "CSVWITHNAMES", "TABSEPARATEDRAWWITHNAMES", "TSVRAWWITHNAMES" ->
          TEXT_ONE_LINE;
      case "TABSEPARATEDWITHNAMESANDTYPES", "TSVWITHNAMESANDTYPES", "CSVWITHNAMESANDTYPES",
           "TABSEPARATEDRAWWITHNAMESANDTYPES", "TSVRAWWITHNAMESANDTYPES" -> TEXT_TWO_LINES;
      default -> null;
    };
  }

  /** Bytes of header at the start of a chunk, to cut from every chunk after the first. */
  long headerLength(MemorySegment chunk) {
    return switch (this) {
      case CONCAT -> 0;
      case BINARY_NAMES -> binaryHeader(chunk, 1);
      case BINARY_NAMES_AND_TYPES -> binaryHeader(chunk, 2);
      case TEXT_ONE_LINE -> lines(chunk, 1);
      case TEXT_TWO_LINES -> lines(chunk, 2);
    };
  }

  private static long binaryHeader(MemorySegment s, int groups) {
    long[] pos = {0};
    long columns = varint(s, pos);
    for (long i = 0; i < columns * groups; i++) {
      long len = varint(s, pos);
      pos[0] += len;
    }
    return pos[0];
  }

  private static long varint(MemorySegment s, long[] pos) {
    long result = 0;
    int shift = 0;
    while (true) {
      byte b = s.get(ValueLayout.JAVA_BYTE, pos[0]++);
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  private static long lines(MemorySegment s, int n) {
    long pos = 0;
    int seen = 0;
    while (pos < s.byteSize() && seen < n) {
      if (s.get(ValueLayout.JAVA_BYTE, pos++) == '\n') {
        seen++;
      }
    }
    return pos;
  }
}
