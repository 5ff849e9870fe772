package dev.lode.udf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.TableFunction;
import org.apache.calcite.schema.TableMacro;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The {@code functions} table: every function a schema's role may call, with its kind, its
 * parameters and where it is documented. JDBC's getFunctions and getProcedures cannot show
 * them — the Avatica remote driver answers both from the client, empty, without asking the
 * server — so BI tools find Lode's functions as rows of a table they can browse and query.
 */
final class FunctionCatalog extends AbstractTable implements ScannableTable {
  /** One function: what a user reads in the table. */
  record Entry(String name, String kind, String parameters, String origin, String documentation) {
  }

  private final java.util.function.Supplier<List<Entry>> entries;

  private FunctionCatalog(java.util.function.Supplier<List<Entry>> entries) {
    this.entries = com.google.common.base.Suppliers.memoize(entries::get);
  }

  /**
   * The catalog of the table functions and scalars a schema mounts ({@code mounted}, read when
   * the table is first scanned) and the pushed-down functions every statement resolves: the
   * Druid and Phoenix time functions BI tools emit, and ClickHouse's own.
   */
  static FunctionCatalog of(java.util.function.Supplier<Map<String, Function>> mounted,
                            Collection<? extends SqlFunction> druidPhoenix, Collection<? extends SqlFunction> clickhouse) {
    return new FunctionCatalog(() -> entries(mounted.get(), druidPhoenix, clickhouse));
  }

  private static List<Entry> entries(Map<String, Function> mounted, Collection<? extends SqlFunction> druidPhoenix,
                                     Collection<? extends SqlFunction> clickhouse) {
    RelDataTypeFactory types = new JavaTypeFactoryImpl();
    List<Entry> out = new ArrayList<>();
    mounted.forEach((name, f) -> {
      boolean table = f instanceof TableMacro || f instanceof TableFunction;
      boolean recommend = name.equals("recommend") || name.equals("similar_items") || name.equals("rec_eval");
      out.add(new Entry(name, table ? "table function" : "scalar", parameters(f.getParameters(), types), "lode",
          recommend ? "docs/recommend.md" : name.equals("tag_explain") ? "docs/tags.md" : "docs/sql.md"));
    });
    List<SqlFunction> pushed = new ArrayList<>(druidPhoenix);
    pushed.addAll(clickhouse);
    for (SqlFunction f : pushed) {
      String name = f instanceof dev.lode.udf.clickhouse.NativeScalar n ? n.clickHouseName()
          : f instanceof dev.lode.sql.schema.PushedAggregate a ? a.clickHouseName() : f.getName();
      String signatures = f.getAllowedSignatures().replace(f.getName(), "").replace("\n", " | ");
      out.add(new Entry(name, f instanceof SqlAggFunction ? "aggregate" : "scalar", signatures,
          clickhouse.contains(f) ? "clickhouse" : "druid/phoenix", "docs/sql.md"));
    }
    out.sort(java.util.Comparator.comparing(Entry::kind).thenComparing(Entry::name));
    return List.copyOf(out);
  }

  private static String parameters(List<FunctionParameter> ps, RelDataTypeFactory types) {
    List<String> out = new ArrayList<>();
    for (FunctionParameter p : ps) {
      SqlTypeName t = p.getType(types).getSqlTypeName();
      out.add(p.getName() + " " + t.getName() + (p.isOptional() ? " (optional)" : ""));
    }
    return "(" + String.join(", ", out) + ")";
  }

  List<Entry> entries() {
    return entries.get();
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataType text = typeFactory.createSqlType(SqlTypeName.VARCHAR);
    return typeFactory.builder().add("function_name", text).add("function_kind", text).add("parameters", text)
        .add("origin", text).add("documentation", text).build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    return Linq4j.asEnumerable(entries().stream()
        .map(e -> new Object[] {e.name(), e.kind(), e.parameters(), e.origin(), e.documentation()}).toList());
  }
}
