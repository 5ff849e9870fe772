package dev.lode.report;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes report runs to the {@code report_runs} table (a new version of the row per state change). */
public final class ReportRunLog {
  private final ConnectionSource warehouse;

  public ReportRunLog(ConnectionSource warehouse) {
    this.warehouse = warehouse;
  }

  /** Records the run's current state; {@code updatedAt} orders the versions of its row. */
  public void record(ReportRun run, Instant updatedAt) throws SQLException {
    try (Connection c = warehouse.connect();
         PreparedStatement ps = c.prepareStatement("INSERT INTO report_runs (run_id, report, trigger, scheduled_for,"
             + " started_at, finished_at, status, attempts, duration_ms, rows, error, attempt_errors, parameters,"
             + " outputs, updated_at, delivery_status, delivery_attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
             + " ?, ?)")) {
      ps.setString(1, run.runId());
      ps.setString(2, run.report());
      ps.setString(3, run.trigger());
      ps.setObject(4, run.scheduledFor().map(ReportRunLog::utc).orElse(null));
      ps.setObject(5, utc(run.startedAt()));
      ps.setObject(6, run.finishedAt().map(ReportRunLog::utc).orElse(null));
      ps.setString(7, run.status().name().toLowerCase(Locale.ROOT));
      ps.setInt(8, Math.min(run.attempts(), 255));
      ps.setLong(9, run.durationMs());
      ps.setLong(10, run.rows());
      ps.setString(11, run.error());
      ps.setObject(12, run.attemptErrors());
      ps.setObject(13, run.parameters());
      ps.setObject(14, run.outputs().stream().map(Path::toString).toList());
      ps.setObject(15, utc(updatedAt));
      ps.setString(16, run.deliveryStatus());
      ps.setObject(17, run.deliveries().stream().map(DeliveryAttempt::toString).toList());
      ps.executeUpdate();
    }
  }

  /** A report whose latest run failed, or whose latest delivery did not reach every recipient. */
  public record Problem(String report, String startedAt, String status, String deliveryStatus, String error) {
  }

  /**
   * The reports whose latest run (by start time) failed or was not delivered, with the error or the
   * last failed delivery attempt; what {@code bin/lode status} lists.
   */
  public List<Problem> problems() throws SQLException {
    List<Problem> out = new ArrayList<>();
    try (Connection c = warehouse.connect(); java.sql.Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery("SELECT report, toString(started_at), status, delivery_status, error,"
             + " arrayFilter(a -> position(a, ': failed: ') > 0, delivery_attempts) AS failed_deliveries"
             + " FROM (SELECT * FROM report_runs FINAL ORDER BY started_at DESC LIMIT 1 BY report)"
             + " WHERE status = 'failed' OR delivery_status = 'failed' ORDER BY report")) {
      while (rs.next()) {
        String error = rs.getString(5);
        Object[] failed = (Object[]) rs.getArray(6).getArray();
        if (error.isEmpty() && failed.length > 0) {
          error = String.valueOf(failed[failed.length - 1]);
        }
        out.add(new Problem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), error));
      }
    }
    return out;
  }

  private static LocalDateTime utc(Instant i) {
    return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
