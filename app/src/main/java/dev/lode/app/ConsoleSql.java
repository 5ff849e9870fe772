package dev.lode.app;

import dev.lode.config.Credentials;
import dev.lode.console.SqlResult;
import dev.lode.console.UserSql;
import dev.lode.sql.server.LodeMeta;
import java.net.URL;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.AvaticaHttpClientFactory;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.KerberosConnection;

/**
 * The console's SQL: the Avatica JDBC driver, speaking protobuf to this application's own
 * Avatica endpoint in-process — the same handler, Meta, role schemas, masking, limits and audit
 * a BI tool's request reaches, only without the socket — authenticated as the signed-in user
 * (exactly as Basic credentials on the request would be) and from the browser's address.
 */
final class ConsoleSql implements UserSql {
  /** The endpoints this process serves, by the key in the in-process URL. */
  private static final Map<String, UnaryOperator<byte[]>> ENDPOINTS = new ConcurrentHashMap<>();

  /** Page statements one connection keeps prepared at most (a page runs up to ten; the console has seven pages). */
  static final int KEPT_STATEMENTS = 48;

  private final String key = UUID.randomUUID().toString();

  ConsoleSql(AvaticaResource avatica) {
    ENDPOINTS.put(key, avatica::protobuf);
  }

  /** Forgets the endpoint (the application is stopping). */
  void close() {
    ENDPOINTS.remove(key);
  }

  @Override
  public UserSql.Connection open(Credentials.User user, String client) throws SQLException {
    Properties p = new Properties();
    p.setProperty("serialization", "protobuf");
    p.setProperty("httpclient_factory", InProcess.class.getName());
    java.sql.Connection c = as(user, client, () -> new Driver().connect("jdbc:avatica:remote:url=http://in-process/" + key, p));
    // the page statements this connection keeps prepared, least recently used first
    Map<String, PreparedStatement> kept = new LinkedHashMap<>(16, 0.75f, true);
    return new UserSql.Connection() {
      @Override
      public SqlResult query(String sql, List<Object> parameters, int maxRows, boolean keep) throws SQLException {
        return as(user, client, () -> {
          PreparedStatement ps = keep ? kept.get(sql) : null;
          if (ps == null) {
            ps = c.prepareStatement(sql);
            if (keep) {
              kept.put(sql, ps);
              forgetOldest(kept);
            }
          }
          try {
            return run(ps, parameters, maxRows);
          } finally {
            if (!keep) {
              ps.close();
            }
          }
        });
      }

      @Override
      public void close() {
        try {
          as(user, client, () -> {
            c.close();
            return null;
          });
        } catch (SQLException e) {
          // the endpoint forgets a connection it cannot close when its idle time is over
        }
      }
    };
  }

  /** Work over JDBC that may fail with a SQLException. */
  private interface Jdbc<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} as {@code user}: every Meta call it reaches sees that caller, as a request with Basic credentials would. */
  private static <T> T as(Credentials.User user, String client, Jdbc<T> work) throws SQLException {
    try {
      return LodeMeta.callAs(user, client, () -> {
        try {
          return work.run();
        } catch (SQLException e) {
          throw new Failed(e);
        }
      });
    } catch (Failed f) {
      throw f.cause;
    }
  }

  /** Closes the least recently used kept statement past {@link #KEPT_STATEMENTS}. */
  private static void forgetOldest(Map<String, PreparedStatement> kept) throws SQLException {
    if (kept.size() > KEPT_STATEMENTS) {
      var oldest = kept.entrySet().iterator();
      PreparedStatement ps = oldest.next().getValue();
      oldest.remove();
      ps.close();
    }
  }

  private static SqlResult run(PreparedStatement ps, List<Object> parameters, int maxRows) throws SQLException {
    long t0 = System.nanoTime();
    // one row more than kept tells whether the result was cut
    ps.setMaxRows(maxRows + 1);
    ps.clearParameters();
    for (int i = 0; i < parameters.size(); i++) {
      ps.setObject(i + 1, parameters.get(i));
    }
    try (ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      List<String> types = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        columns.add(md.getColumnLabel(i));
        types.add(md.getColumnTypeName(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      boolean truncated = false;
      while (rs.next()) {
        if (rows.size() == maxRows) {
          truncated = true;
          break;
        }
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return new SqlResult(columns, types, rows, truncated, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** Carries a checked failure out of the caller context's supplier. */
  private static final class Failed extends RuntimeException {
    final SQLException cause;

    Failed(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
      this.cause = cause;
    }
  }

  /** The driver's transport for the in-process URL: hands each request to the endpoint the URL's path names. */
  public static final class InProcess implements AvaticaHttpClientFactory {
    @Override
    public AvaticaHttpClient getClient(URL url, ConnectionConfig config, KerberosConnection kerberos) {
      UnaryOperator<byte[]> endpoint = ENDPOINTS.get(url.getPath().substring(1));
      if (endpoint == null) {
        throw new IllegalStateException("no Lode application is serving " + url);
      }
      return endpoint::apply;
    }
  }
}
