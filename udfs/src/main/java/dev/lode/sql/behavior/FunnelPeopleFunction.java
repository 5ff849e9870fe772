package dev.lode.sql.behavior;

import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code funnel_people(steps, window_seconds, step [, status, mode, from, to])}: the persons
 * who reached step k ({@code status} 'reached', the default) or reached step k-1 but not k
 * ('dropped'), with the step they reached and when they entered — a cohort a BI tool can
 * join with {@code persons} on {@code person_id}.
 */
public final class FunnelPeopleFunction extends BehaviorFunction {
  private final FunnelFunction funnel;

  public FunnelPeopleFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
    this.funnel = new FunnelFunction(schema, convention);
  }

  @Override
  public String name() {
    return "funnel_people";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("steps", SqlTypeName.VARCHAR, false),
        new Param("window_seconds", SqlTypeName.BIGINT, false),
        new Param("step", SqlTypeName.INTEGER, false),
        new Param("status", SqlTypeName.VARCHAR, true),
        new Param("mode", SqlTypeName.VARCHAR, true),
        new Param("from", SqlTypeName.VARCHAR, true),
        new Param("to", SqlTypeName.VARCHAR, true),
        new Param("breakdown", SqlTypeName.VARCHAR, true));
  }

  @Override
  protected String sql(Args a) {
    // the rows name persons: always over the connection's (for analysts, masked) events
    FunnelQuery q = funnel.query(a, EventSource.DEFAULT);
    long step = a.integer("step", 1, 1, q.steps.size());
    String status = a.choice("status", "reached", List.of("reached", "dropped"));
    if (status.equals("dropped") && step == 1) {
      throw new IllegalArgumentException(a.where("step") + " must be at least 2 for status 'dropped'");
    }
    String cond = status.equals("reached") ? "level >= " + step : "level = " + (step - 1);
    return "SELECT person AS person_id, toInt32(level) AS reached_step,"
        + " fromUnixTimestamp64Milli(t1, 'UTC') AS entered_at, b AS breakdown FROM (" + q.perPerson() + ")"
        + " WHERE " + cond;
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("person_id", SqlTypeName.VARCHAR).add("reached_step", SqlTypeName.INTEGER)
        .add("entered_at", SqlTypeName.TIMESTAMP, 3).add("breakdown", SqlTypeName.VARCHAR).build();
  }
}
