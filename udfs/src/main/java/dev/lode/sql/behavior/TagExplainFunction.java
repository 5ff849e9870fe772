package dev.lode.sql.behavior;

import dev.lode.tags.TagExplanation;
import java.sql.Types;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code tag_explain(person, tag)}: why a person carries a tag — its value and provenance,
 * the evidence counts, and the example events it cites, joined back to {@code events}
 * (see {@link TagExplanation} for the rows).
 */
public final class TagExplainFunction extends BehaviorFunction {
  public TagExplainFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
  }

  @Override
  public String name() {
    return "tag_explain";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("person", SqlTypeName.VARCHAR, false), new Param("tag", SqlTypeName.VARCHAR, false));
  }

  @Override
  protected String sql(Args a) {
    return TagExplanation.sql(a.required("person"), a.required("tag"));
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    RelDataTypeFactory.Builder b = row(types);
    for (TagExplanation.Column c : TagExplanation.COLUMNS) {
      switch (c.jdbcType()) {
        case Types.TIMESTAMP -> b.add(c.name(), SqlTypeName.TIMESTAMP, 3);
        case Types.BIGINT -> b.add(c.name(), SqlTypeName.BIGINT);
        case Types.INTEGER -> b.add(c.name(), SqlTypeName.INTEGER);
        case Types.DOUBLE -> b.add(c.name(), SqlTypeName.DOUBLE);
        default -> b.add(c.name(), SqlTypeName.VARCHAR);
      }
      b.nullable(c.nullable());
    }
    return b.build();
  }
}
