package dev.lode.sql.schema;

import java.util.Locale;
import java.util.Map;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Resolves calls of Lode's {@link PushedFunction}s and {@link PushedAggregate}s in every parsed statement of this process
 * (Calcite's parse-tree hook), before validation: the connection's operator table is chosen by
 * library name and cannot hold them, and a schema function would be user-defined and so never
 * pushed down. A name Lode defines wins over a built-in library function of the same name
 * (PostgreSQL's {@code TO_TIMESTAMP}, whose patterns are not the Java ones BI tools send).
 */
public final class NativeCalls extends SqlBasicVisitor<Void> {
  private static volatile Map<String, SqlFunction> functions = Map.of();
  private static boolean installed;

  private NativeCalls() {
  }

  /** Makes {@code byName} (upper-case names) resolvable in every statement parsed from now on. */
  @SuppressWarnings("deprecation") // a process-wide hook is the point: every SQL connection parses with it
  public static synchronized void install(Map<String, ? extends SqlFunction> byName) {
    functions = Map.copyOf(byName);
    if (installed) {
      return;
    }
    installed = true;
    Hook.PARSE_TREE.add((java.util.function.Consumer<Object[]>) args -> {
      if (args.length > 1 && args[1] instanceof SqlNode node) {
        node.accept(new NativeCalls());
      }
    });
  }

  @Override
  public Void visit(SqlCall call) {
    if (call instanceof SqlBasicCall basic && call.getOperator() instanceof SqlUnresolvedFunction unresolved) {
      SqlFunction f = functions.get(unresolved.getName().toUpperCase(Locale.ROOT));
      if (f != null) {
        basic.setOperator(f);
      }
    }
    return super.visit(call);
  }
}
