package dev.lode.identity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What identity resolution decided, asked of the warehouse: one value of a query, the person an id resolves to. */
final class ResolvedIdentities {
  private ResolvedIdentities() {
  }

  /** The first column of the first row of {@code sql}, which must have a row. */
  static String one(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  /** The person {@code identities_current} gives the id {@code value} of type {@code type}. */
  static String personOf(Statement st, String type, String value) throws SQLException {
    return one(st, "SELECT any(person_id) FROM identities_current WHERE id_type = '" + type + "' AND id_value = '"
        + value + "'");
  }
}
