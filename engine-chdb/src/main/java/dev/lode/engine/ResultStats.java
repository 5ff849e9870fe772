package dev.lode.engine;

/** Progress figures of one statement, reported in the {@code X-ClickHouse-Summary} header. */
public record ResultStats(long rowsRead, long bytesRead, long rowsWritten, long bytesWritten, double elapsedSeconds) {

  /** The summary JSON a ClickHouse server sends; numbers as strings, as the server does. */
  public String toSummaryJson(long resultRows, long resultBytes) {
    return "{\"read_rows\":\"" + rowsRead + "\",\"read_bytes\":\"" + bytesRead + "\",\"written_rows\":\"" + rowsWritten
        + "\",\"written_bytes\":\"" + bytesWritten + "\",\"total_rows_to_read\":\"" + rowsRead + "\",\"result_rows\":\""
        + resultRows + "\",\"result_bytes\":\"" + resultBytes + "\",\"elapsed_ns\":\"" + (long) (elapsedSeconds * 1e9) + "\"}";
  }
}
