package dev.lode.app;

import dev.lode.config.Credentials;
import dev.lode.console.SqlResult;
import dev.lode.console.UserSql;
import dev.lode.sql.server.LodeMeta;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
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

  private final String key = UUID.randomUUID().toString();

  ConsoleSql(AvaticaResource avatica) {
    ENDPOINTS.put(key, avatica::protobuf);
  }

  /** Forgets the endpoint (the application is stopping). */
  void close() {
    ENDPOINTS.remove(key);
  }

  @Override
  public SqlResult query(Credentials.User user, String client, String sql, List<Object> parameters, int maxRows)
      throws SQLException {
    try {
      return LodeMeta.callAs(user, client, () -> {
        try {
          return run(sql, parameters, maxRows);
        } catch (SQLException e) {
          throw new Failed(e);
        }
      });
    } catch (Failed f) {
      throw f.cause;
    }
  }

  private SqlResult run(String sql, List<Object> parameters, int maxRows) throws SQLException {
    Properties p = new Properties();
    p.setProperty("serialization", "protobuf");
    p.setProperty("httpclient_factory", InProcess.class.getName());
    long t0 = System.nanoTime();
    try (Connection c = new Driver().connect("jdbc:avatica:remote:url=http://in-process/" + key, p);
         PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setObject(i + 1, parameters.get(i));
      }
      // one row more than kept tells whether the result was cut
      ps.setMaxRows(maxRows + 1);
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
