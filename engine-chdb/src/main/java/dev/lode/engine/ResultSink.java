package dev.lode.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** Receives a result's bytes chunk by chunk, in the requested format; a segment is valid only during the call. */
@FunctionalInterface
public interface ResultSink {
  void accept(MemorySegment chunk) throws IOException;
}
