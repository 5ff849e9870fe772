package dev.lode.sql.recommend;

import dev.lode.recommend.RecContext;
import dev.lode.recommend.Recommender;
import dev.lode.sql.behavior.BehaviorFunction;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code recommend(person, k [, context])}: the person's k best items with score, rank, the
 * source that contributed most and the reason, expanded into the recommender's one native
 * ClickHouse query; business filters are plain WHERE clauses on the result.
 */
public final class RecommendFunction extends BehaviorFunction {
  private final Recommender recommender;

  public RecommendFunction(JdbcSchema schema, JdbcConvention convention, Recommender recommender) {
    super(schema, convention);
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

  @Override
  protected String sql(Args a) {
    int k = (int) a.integer("k", 20, 1, Recommender.MAX_K);
    RecContext context;
    try {
      context = RecContext.parse(a.string("context", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(a.where("context") + ": " + e.getMessage());
    }
    return recommender.recommendSql(a.required("person"), k, context);
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
