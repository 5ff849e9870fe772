package dev.lode.sql.recommend;

import dev.lode.recommend.RecContext;
import dev.lode.recommend.Recommendation;
import dev.lode.recommend.Recommender;
import dev.lode.sql.behavior.BehaviorFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code recommend(person, k [, context])}: the person's k best items with score, rank, the
 * source that contributed most and the reason. When the served lists are current the rows
 * come from one point lookup made while the call is planned; otherwise the function expands
 * into the recommender's native ClickHouse query. Business filters are plain WHERE clauses on
 * the result either way.
 */
public final class RecommendFunction extends BehaviorFunction {
  private final JdbcSchema schema;
  private final Recommender recommender;

  public RecommendFunction(JdbcSchema schema, JdbcConvention convention, Recommender recommender) {
    super(schema, convention);
    this.schema = schema;
    this.recommender = recommender;
  }

  @Override
  public String name() {
    return "recommend";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("person", SqlTypeName.VARCHAR, false),
        new Param("k", SqlTypeName.BIGINT, true),
        new Param("context", SqlTypeName.VARCHAR, true));
  }

  /** Served tables by arguments, for the planning of one statement only (see {@link #apply}). */
  private final java.util.concurrent.ConcurrentHashMap<List<Object>, Planned> planning =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A served table and when it was looked up. */
  private record Planned(long nanos, TranslatableTable table) {
  }

  /**
   * Calcite applies a table macro more than once while it plans one statement (validation, then
   * conversion); the served lookup is made once per statement: a result is reused for 500 ms.
   */
  @Override
  public TranslatableTable apply(List<? extends Object> arguments) {
    List<Object> key = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(arguments));
    long now = System.nanoTime();
    Planned p = planning.get(key);
    if (p != null && now - p.nanos() < REUSE_NANOS) {
      return p.table();
    }
    if (planning.size() > 1000) {
      planning.clear();
    }
    TranslatableTable t = lookUp(arguments);
    if (t instanceof RowsTable) {
      planning.put(key, new Planned(now, t));
    }
    return t;
  }

  private static final long REUSE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);

  private TranslatableTable lookUp(List<? extends Object> arguments) {
    Args a = args(arguments);
    // the lookup runs over this schema's own connections, i.e. the caller's role database
    try (Connection c = schema.getDataSource().getConnection()) {
      Optional<List<Recommendation>> served = recommender.served(c, a.required("person"), k(a), context(a));
      if (served.isPresent()) {
        return new RowsTable(name(), RecommendFunction::resultType, served.get().stream()
            .map(r -> new Object[] {r.personId(), r.itemId(), r.score(), r.rank(), r.source(), r.reason()})
            .toList());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("recommend: " + e.getMessage(), e);
    }
    return super.apply(arguments);
  }

  @Override
  protected String sql(Args a) {
    return recommender.recommendSql(a.required("person"), k(a), context(a));
  }

  private static int k(Args a) {
    return (int) a.integer("k", 20, 1, Recommender.MAX_K);
  }

  private static RecContext context(Args a) {
    try {
      return RecContext.parse(a.string("context", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(a.where("context") + ": " + e.getMessage());
    }
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return resultType(types);
  }

  /** person_id, item_id, score, rank, source, reason. */
  static RelDataType resultType(RelDataTypeFactory types) {
    return row(types).add("person_id", SqlTypeName.VARCHAR).add("item_id", SqlTypeName.VARCHAR)
        .add("score", SqlTypeName.DOUBLE).add("item_rank", SqlTypeName.INTEGER).add("source", SqlTypeName.VARCHAR)
        .add("reason", SqlTypeName.VARCHAR).build();
  }
}
