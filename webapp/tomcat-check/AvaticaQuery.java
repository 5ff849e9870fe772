import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Runs queries through the Avatica JDBC driver against a Lode deployed in a servlet
 * container; prints the rows and exits non-zero on any error. Arguments: url user password.
 */
public class AvaticaQuery {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.setProperty("avatica_user", args[1]);
    p.setProperty("avatica_password", args[2]);
    String url = "jdbc:avatica:remote:url=" + args[0] + ";serialization=protobuf;authentication=BASIC";
    try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
      for (String sql : new String[] {
          "SELECT COUNT(*) AS events FROM events",
          "SELECT step, persons FROM TABLE(funnel('page_view,purchase', 3600))"}) {
        try (ResultSet rs = st.executeQuery(sql)) {
          System.out.println(sql);
          while (rs.next()) {
            StringBuilder b = new StringBuilder("  ");
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              b.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getObject(i)).append(' ');
            }
            System.out.println(b);
          }
        }
      }
    }
  }
}
