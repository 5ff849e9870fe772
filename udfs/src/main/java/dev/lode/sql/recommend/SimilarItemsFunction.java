package dev.lode.sql.recommend;

import dev.lode.recommend.Recommender;
import dev.lode.sql.behavior.BehaviorFunction;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code similar_items(item, k)}: the item's strongest neighbours by co-occurrence in
 * baskets, sessions and customers, from the live model, out-of-stock items left out.
 */
public final class SimilarItemsFunction extends BehaviorFunction {
  private final Recommender recommender;

  public SimilarItemsFunction(JdbcSchema schema, JdbcConvention convention, Recommender recommender) {
    super(schema, convention);
    this.recommender = recommender;
  }

  @Override
  public String name() {
    return "similar_items";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("item", SqlTypeName.VARCHAR, false), new Param("k", SqlTypeName.BIGINT, true));
  }

  @Override
  protected String sql(Args a) {
    return recommender.similarItemsSql(a.required("item"), (int) a.integer("k", 20, 1, Recommender.MAX_K));
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    // person_id carries the queried item, so both functions share one shape
    return RecommendFunction.resultType(types);
  }
}
