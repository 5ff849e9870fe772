package dev.lode.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes every report a table a JDBC client can read: {@code report_<name>}, a view over
 * the report with its default parameters (relative dates evaluated when read), and for
 * reports with parameters {@code report_<name>_with(p=…)}, a ClickHouse parameterized view.
 */
public final class ReportViews {
  private ReportViews() {
  }

  /** (Re)creates the views; returns one message per report whose views could not be created. */
  public static List<String> refresh(ConnectionSource warehouse, ReportCatalog catalog) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      for (ReportDefinition d : catalog.all()) {
        try {
          st.execute("CREATE OR REPLACE VIEW `" + d.viewName() + "` AS\n" + d.sqlWithDefaults());
          if (!d.parameters().isEmpty()) {
            st.execute("CREATE OR REPLACE VIEW `" + d.viewName() + "_with` AS\n" + d.sql());
          }
        } catch (SQLException e) {
          problems.add("report " + d.name() + ": view not created: " + e.getMessage());
        }
      }
      dev.lode.warehouse.ViewJoinSemantics.pin(c);
    }
    return problems;
  }
}
