package dev.lode.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins ClickHouse's default outer-join semantics ({@code join_use_nulls = 0}) into every view
 * with a JOIN: Lode's views are written for them and typed when created, while the SQL layer
 * reads with {@code join_use_nulls = 1} (SQL NULLs for unmatched rows in analysts' own joins),
 * under which such a view would return Nullable columns its structure does not declare
 * (ClickHouse error 80) — the setting of a view's own query wins over the reader's.
 */
public final class ViewJoinSemantics {
  private static final Logger LOG = LoggerFactory.getLogger(ViewJoinSemantics.class);
  private static final String SETTING = "join_use_nulls = 0";

  private ViewJoinSemantics() {
  }

  /** Recreates each view of the connection's current database that joins and does not fix the setting; returns how many. */
  public static int pin(Connection c) throws SQLException {
    return pin(c, null);
  }

  /** As {@link #pin(Connection)}, with the views recreated on every node of {@code cluster} when it is not null. */
  public static int pin(Connection c, String cluster) throws SQLException {
    Map<String, String> views = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT name, as_select FROM system.tables WHERE database = currentDatabase()"
             + " AND engine = 'View' AND match(as_select, '(?i)\\\\bJOIN\\\\b')"
             + " AND positionCaseInsensitive(as_select, 'join_use_nulls') = 0")) {
      while (rs.next()) {
        views.put(rs.getString(1), rs.getString(2));
      }
    }
    try (Statement st = c.createStatement()) {
      for (var v : views.entrySet()) {
        // a query with SETTINGS of its own takes this one beside them
        String query = v.getValue().strip();
        String settings = query.matches("(?is).*\\bSETTINGS\\b[^)]*") ? ", " + SETTING : "\nSETTINGS " + SETTING;
        st.execute("CREATE OR REPLACE VIEW " + SqlLiteral.identifier(v.getKey())
            + (cluster == null ? "" : " ON CLUSTER " + SqlLiteral.identifier(cluster)) + " AS\n" + query + settings);
      }
    }
    if (!views.isEmpty()) {
      LOG.debug("pinned join_use_nulls = 0 in {} views: {}", views.size(), views.keySet());
    }
    return views.size();
  }
}
