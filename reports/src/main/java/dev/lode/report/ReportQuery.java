package dev.lode.report;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseColumn;
import com.clickhouse.jdbc.ConnectionImpl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a report's SQL on the warehouse with its parameters bound by the engine: values
 * are checked against their declared type, then sent as ClickHouse query parameters
 * ({@code param_<name>}), never spliced into the SQL text.
 */
public final class ReportQuery {
  private final ConnectionSource warehouse;
  private final long timeoutSeconds;

  public ReportQuery(ConnectionSource warehouse, long timeoutSeconds) {
    this.warehouse = warehouse;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * The parameter values a run uses: {@code given} checked against the declaration, the
   * rest from their defaults resolved on {@code clock}. Unknown names are an error.
   */
  public static Map<String, String> bind(ReportDefinition report, Map<String, String> given, Clock clock) {
    for (String name : given.keySet()) {
      if (report.parameter(name).isEmpty()) {
        List<String> known = report.parameters().stream().map(ReportParameter::name).toList();
        throw new IllegalArgumentException("report " + report.name() + " has no parameter '" + name + "'"
            + (known.isEmpty() ? " (it takes none)" : " (parameters: " + String.join(", ", known) + ")"));
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (ReportParameter p : report.parameters()) {
      String raw = given.get(p.name());
      out.put(p.name(), raw == null ? p.defaultValue(clock) : p.bind(raw));
    }
    return out;
  }

  /** Runs the report with already bound parameters and reads all rows. */
  @SuppressWarnings("try") // QueryResponse.close() declares Exception; the catch below handles every kind
  public ReportResult run(ReportDefinition report, Map<String, String> bound) throws SQLException {
    try (Connection c = warehouse.connect()) {
      Client client = c.unwrap(ConnectionImpl.class).getClient();
      Map<String, Object> params = new LinkedHashMap<>(bound);
      try (QueryResponse response = client.query(report.sql(), params).get(timeoutSeconds, TimeUnit.SECONDS)) {
        ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response);
        TableSchema schema = reader.getSchema();
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (ClickHouseColumn col : schema.getColumns()) {
          columns.add(col.getColumnName());
          types.add(col.getOriginalTypeName());
        }
        List<Object[]> rows = new ArrayList<>();
        while (reader.hasNext()) {
          reader.next();
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = reader.readValue(i + 1);
          }
          rows.add(row);
        }
        checkChartColumns(report, columns);
        return new ReportResult(report, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bound)), List.copyOf(columns), List.copyOf(types), rows);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("report " + report.name() + " was interrupted", e);
    } catch (TimeoutException e) {
      throw new SQLException("report " + report.name() + " ran longer than " + timeoutSeconds + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new SQLException(cause.getMessage(), cause);
    } catch (RuntimeException e) {
      // the client reports engine errors as unchecked ServerException
      throw new SQLException(e.getMessage(), e);
    } catch (Exception e) {
      if (e instanceof SQLException s) {
        throw s;
      }
      throw new SQLException(e.getMessage(), e);
    }
  }

  private static void checkChartColumns(ReportDefinition report, List<String> columns) {
    List<String> wanted = new ArrayList<>();
    report.charts().forEach(c -> wanted.addAll(c.columns()));
    report.headlines().forEach(h -> wanted.addAll(h.referencedColumns()));
    for (String c : wanted) {
      if (!columns.contains(c)) {
        throw new IllegalStateException("report " + report.name() + ": chart or headline column '" + c
            + "' is not in the result (columns: " + String.join(", ", columns) + ")");
      }
    }
  }
}
