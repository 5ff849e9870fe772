package dev.lode.udf;

import dev.lode.sql.schema.CalciteHarness;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A Calcite connection whose statements pass through {@link TimeGrainRewriter#rewrite} before
 * Calcite parses them, the step the Avatica server's {@code LodeMeta} takes for every client
 * statement, so a test without the server sees the SQL the server would run.
 */
public final class TimeGrainConnection {
  private TimeGrainConnection() {
  }

  /** {@code c}, with every SQL text handed to its statements rewritten first. */
  public static Connection wrap(Connection c) {
    return proxy(Connection.class, c);
  }

  private static <T> T proxy(Class<T> type, T target) {
    InvocationHandler h = (p, m, args) -> {
      Object[] a = args == null ? null : args.clone();
      if (a != null && a.length > 0 && a[0] instanceof String sql && takesSql(m)) {
        a[0] = TimeGrainRewriter.rewrite(sql, CalciteHarness.parserConfig());
      }
      Object out;
      try {
        out = m.invoke(target, a);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      // statements made by this connection rewrite what they execute too
      return out instanceof Statement s && m.getReturnType() == Statement.class ? proxy(Statement.class, s) : out;
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static boolean takesSql(Method m) {
    return switch (m.getName()) {
      case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch", "prepareStatement",
           "prepareCall", "nativeSQL" -> true;
      default -> false;
    };
  }
}
