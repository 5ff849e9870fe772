package dev.lode.sql.recommend;

import dev.lode.recommend.RecContext;
import dev.lode.recommend.Recommendation;
import dev.lode.recommend.Recommender;
import dev.lode.sql.behavior.BehaviorFunction.Args;
import dev.lode.sql.behavior.BehaviorFunction.Param;
import dev.lode.sql.schema.LodeFunction;
import java.lang.ref.WeakReference;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.TableFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code recommend(person, k [, context])}: the person's k best items with score, rank, the
 * source that contributed most and the reason. Unlike the behavior functions this is evaluated
 * when the statement runs, not while it is planned, so its arguments may be parameters: an
 * application prepares {@code SELECT … FROM TABLE(recommend(?, 20))} once and executes it per
 * visitor, without planning each call. Each call is served from the precomputed lists when
 * they are current, else computed live by the recommender's native query (reported to Calcite's
 * {@code QUERY_PLAN} hook, as a pushed-down statement is). Both read the
 * warehouse's own tables, not the caller's masked role database: the rows name only the person
 * the caller passed, items and reasons, and the reads touch no masked column (person ids are
 * pseudonymous), while every masking view on the way would cost the engine a plan of its own.
 * Business filters are plain WHERE clauses on the result.
 */
public final class RecommendFunction implements TableFunction, ImplementableFunction, LodeFunction {
  private static final List<Param> PARAMS = List.of(new Param("person", SqlTypeName.VARCHAR, false),
      new Param("k", SqlTypeName.INTEGER, true), new Param("context", SqlTypeName.VARCHAR, true));
  /**
   * The instances generated code calls back, by key: a compiled plan names its function by a
   * constant, so one plan serves every execution (and Calcite's cache of compiled plans can
   * reuse it), while each role's schema keeps its own connections.
   */
  private static final Map<String, WeakReference<RecommendFunction>> LIVE = new ConcurrentHashMap<>();
  private static final AtomicLong KEYS = new AtomicLong();

  private final DataSource warehouse;
  private final Recommender recommender;
  private final String key;

  /** @param warehouse connections to the warehouse's own database */
  public RecommendFunction(DataSource warehouse, Recommender recommender) {
    this.warehouse = warehouse;
    this.recommender = recommender;
    this.key = "recommend-" + KEYS.incrementAndGet();
    LIVE.values().removeIf(r -> r.get() == null);
    LIVE.put(key, new WeakReference<>(this));
  }

  @Override
  public String name() {
    return "recommend";
  }

  @Override
  public List<FunctionParameter> getParameters() {
    List<FunctionParameter> out = new ArrayList<>();
    for (int i = 0; i < PARAMS.size(); i++) {
      Param p = PARAMS.get(i);
      // SQL types: the arguments reach the generated code as values, and may be parameters
      out.add(p.parameter(i, types -> types.createTypeWithNullability(types.createSqlType(p.type()), true)));
    }
    return out;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory, List<? extends Object> arguments) {
    return resultType(typeFactory);
  }

  @Override
  public Type getElementType(List<? extends Object> arguments) {
    return Object[].class;
  }

  /** The generated code calls {@link #rows} with this function's key and the call's argument values. */
  @Override
  public CallImplementor getImplementor() {
    return RexImpTable.createImplementor((translator, call, operands) -> {
      List<Expression> args = new ArrayList<>();
      args.add(Expressions.constant(key));
      for (Expression e : operands) {
        args.add(EnumUtils.convert(e, Object.class));
      }
      return Expressions.call(RecommendFunction.class, "rows", args);
    }, NullPolicy.NONE, false);
  }

  /** One execution of {@code recommend(person, k, context)}, by the function registered under {@code key}. */
  public static Enumerable<Object[]> rows(String key, Object person, Object k, Object context) {
    WeakReference<RecommendFunction> ref = LIVE.get(key);
    RecommendFunction f = ref == null ? null : ref.get();
    if (f == null) {
      throw new IllegalStateException("recommend: the schema this statement was prepared on is gone; prepare it again");
    }
    return Linq4j.asEnumerable(f.rows(new Args("recommend", PARAMS, Arrays.asList(person, k, context))));
  }

  private List<Object[]> rows(Args a) {
    String person = a.required("person");
    int k = (int) a.integer("k", 20, 1, Recommender.MAX_K);
    RecContext context;
    try {
      context = RecContext.parse(a.string("context", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(a.where("context") + ": " + e.getMessage());
    }
    try (Connection c = warehouse.getConnection()) {
      List<Object[]> out = new ArrayList<>();
      // a live computation is reported as the statement pushed down, as a JDBC sub-query's is
      for (Recommendation r : recommender.recommend(c, person, k, context, Hook.QUERY_PLAN::run)) {
        out.add(new Object[] {r.personId(), r.itemId(), r.score(), r.rank(), r.source(), r.reason()});
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("recommend: " + e.getMessage(), e);
    }
  }

  /** person_id, item_id, score, item_rank, source, reason. */
  static RelDataType resultType(RelDataTypeFactory types) {
    return types.builder().add("person_id", SqlTypeName.VARCHAR).add("item_id", SqlTypeName.VARCHAR)
        .add("score", SqlTypeName.DOUBLE).add("item_rank", SqlTypeName.INTEGER).add("source", SqlTypeName.VARCHAR)
        .add("reason", SqlTypeName.VARCHAR).build();
  }
}
