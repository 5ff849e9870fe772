import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Runs queries through the Avatica JDBC driver against a Lode deployed in a servlet container;
 * prints the rows and exits non-zero on any error. Arguments: url user password, then either
 * nothing (a few queries), {@code value sql} (print the first column of the first row alone), or
 * {@code await tracked-user-id deadline-seconds}: wait until the
 * deployment's schedulers have worked on one tracked user (the event is in {@code events},
 * identity resolution gave the user a person and linked the identified email to it, that
 * person has a profile row, a tag value, a stored recommendation list, and recommend() gives
 * the person a non-empty list), printing each step
 * with the seconds it took, and exit non-zero when the deadline passes first.
 */
public class AvaticaQuery {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.setProperty("avatica_user", args[1]);
    p.setProperty("avatica_password", args[2]);
    String url = "jdbc:avatica:remote:url=" + args[0] + ";serialization=protobuf;authentication=BASIC";
    try (Connection c = DriverManager.getConnection(url, p)) {
      if (args.length > 4 && args[3].equals("value")) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(args[4])) {
          if (!rs.next()) {
            throw new IllegalStateException("no row: " + args[4]);
          }
          System.out.println(rs.getString(1));
        }
      } else if (args.length > 3 && args[3].equals("await")) {
        awaitScheduledWork(c, args[4], Long.parseLong(args[5]));
      } else {
        queries(c);
      }
    }
  }

  private static void queries(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      for (String sql : new String[] {
          "SELECT COUNT(*) AS events FROM events",
          "SELECT step, persons FROM TABLE(funnel('page_view,purchase', 3600))"}) {
        try (ResultSet rs = st.executeQuery(sql)) {
          System.out.println(sql);
          print(rs);
        }
      }
    }
  }

  private static void awaitScheduledWork(Connection c, String user, long seconds) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + seconds * 1_000_000_000L;
    await(c, t0, deadline, "the tracked event is in events",
        "SELECT COUNT(*) FROM events WHERE user_id = ? AND event_name = 'product_view'", user);
    String person = await(c, t0, deadline, "identity resolution gave the user a person",
        "SELECT MAX(person_id) FROM identities WHERE id_type = 'user_id' AND id_value = ? AND person_id <> ''", user);
    await(c, t0, deadline, "the identified email is linked to that person",
        "SELECT COUNT(*) FROM identities WHERE id_type = 'email_sha256' AND person_id = ?", person);
    await(c, t0, deadline, "the person has a profile row",
        "SELECT COUNT(*) FROM profiles WHERE person_id = ?", person);
    await(c, t0, deadline, "the person has a tag value",
        "SELECT COUNT(*) FROM tag_values WHERE person_id = ? AND is_deleted = 0", person);
    await(c, t0, deadline, "the serving refresher stored a recommendation list for the person",
        "SELECT COUNT(*) FROM rec_person_recs WHERE person_id = ?", person);
    // a person with no purchases gets the popularity fallback, once a model built after the buyers' events
    await(c, t0, deadline, "recommend() gives the person a non-empty list",
        "SELECT COUNT(*) FROM TABLE(recommend('" + person + "', 5))", null);
    show(c, "SELECT tag_id, \"value\" FROM tag_values WHERE person_id = ? AND is_deleted = 0", person);
    show(c, "SELECT generation, personal, items, sources FROM rec_person_recs WHERE person_id = ?", person);
    show(c, "SELECT item_id, score, item_rank, source FROM TABLE(recommend('" + person + "', 5))", null);
  }

  /** Polls {@code sql} (one value) until it is a non-zero count or a non-empty string; returns it. */
  private static String await(Connection c, long t0, long deadline, String what, String sql, String arg)
      throws Exception {
    String last = null;
    while (true) {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        if (arg != null) {
          st.setString(1, arg);
        }
        try (ResultSet rs = st.executeQuery()) {
          last = rs.next() ? rs.getString(1) : null;
        }
      }
      if (last != null && !last.isEmpty() && !last.equals("0")) {
        System.out.printf("  after %5.1f s: %s (%s)%n", (System.nanoTime() - t0) / 1e9, what, last);
        return last;
      }
      if (System.nanoTime() > deadline) {
        System.out.printf("FAILED after %.1f s: not yet %s%n  %s [%s] -> %s%n", (System.nanoTime() - t0) / 1e9,
            what, sql, arg, last);
        System.exit(1);
      }
      Thread.sleep(1000);
    }
  }

  private static void show(Connection c, String sql, String arg) throws Exception {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      if (arg != null) {
        st.setString(1, arg);
      }
      try (ResultSet rs = st.executeQuery()) {
        print(rs);
      }
    }
  }
  private static void print(ResultSet rs) throws Exception {
    while (rs.next()) {
      StringBuilder b = new StringBuilder("    ");
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        b.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getObject(i)).append(' ');
      }
      System.out.println(b);
    }
  }
}
