package dev.lode.bi;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The shaded Avatica 1.23.0 JDBC driver Metabase's druid-jdbc plugin bundles, loaded from the jar
 * the build copies to {@code target/bi-drivers} in a class loader of its own (its class names are
 * avatica-core's, at another version) and driven only through {@code java.sql}.
 */
final class MetabaseAvatica {
  static final String VERSION = "1.23.0";
  private static Driver driver;

  private MetabaseAvatica() {
  }

  static synchronized Driver driver() {
    if (driver == null) {
      Path jar = Path.of("target", "bi-drivers", "avatica-" + VERSION + ".jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the build's"
            + " generate-test-resources phase, which copies it from Maven Central");
      }
      try {
        // the platform loader as parent: java.sql is shared, nothing of avatica-core is visible
        URLClassLoader loader = new URLClassLoader("metabase-avatica", new URL[] {jar.toUri().toURL()},
            ClassLoader.getPlatformClassLoader());
        driver = (Driver) Class.forName("org.apache.calcite.avatica.remote.Driver", true, loader)
            .getDeclaredConstructor().newInstance();
      } catch (MalformedURLException | ReflectiveOperationException e) {
        throw new IllegalStateException("cannot load the Avatica " + VERSION + " driver from " + jar, e);
      }
    }
    return driver;
  }

  /**
   * A connection as druid-jdbc opens one: its fixed URL, the login as plain {@code user} /
   * {@code password} properties (no {@code authentication=BASIC}), and the report time zone as
   * {@code sqlTimeZone} and {@code timeZone}.
   */
  static Connection connect(String user, String password) throws SQLException {
    return connect(user, password, "UTC", "UTC");
  }

  /**
   * A connection with a report time zone: druid-jdbc sends it as {@code sqlTimeZone} (the
   * server's session zone) and {@code timeZone} (the Avatica client's own decoding zone); a
   * test may give the client another decoding zone to read the server's wall-clock values as they are.
   */
  static Connection connect(String user, String password, String sqlTimeZone, String timeZone) throws SQLException {
    // modules/drivers/druid-jdbc/src/metabase/driver/druid_jdbc.clj, connection-details->spec:
    // (str "url=" host ":" port "/druid/v2/sql/avatica/;transparent_reconnection=true")
    String url = "jdbc:avatica:remote:url=" + LodeEndpoint.base() + "/druid/v2/sql/avatica/;transparent_reconnection=true";
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("sqlTimeZone", sqlTimeZone);
    p.setProperty("timeZone", timeZone);
    Connection c = driver().connect(url, p);
    if (c == null) {
      throw new SQLException("the Avatica " + VERSION + " driver does not accept " + url);
    }
    return c;
  }
}
