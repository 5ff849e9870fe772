package dev.lode.sql.recommend;

import dev.lode.recommend.EvalProtocol;
import dev.lode.recommend.RecEvaluator;
import dev.lode.recommend.SqlBinder;
import dev.lode.sql.behavior.BehaviorFunction;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code rec_eval(cutoff [, test_end [, k [, methods [, protocol]]]])}: offline evaluation on a
 * temporal split, or a seeded per-person random holdout or leave-last-out of the purchases before the cutoff. Planning the call runs the evaluation inside ClickHouse (a model built from the data
 * before the cutoff, scored against the purchases after it); the function's relation is the
 * resulting figures, one row per method.
 */
public final class RecEvalFunction extends BehaviorFunction {
  private final RecEvaluator evaluator;
  private final Map<String, Figures> recent = new HashMap<>();

  public RecEvalFunction(JdbcSchema schema, JdbcConvention convention, RecEvaluator evaluator) {
    super(schema, convention);
    this.evaluator = evaluator;
  }

  @Override
  public String name() {
    return "rec_eval";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("cutoff", SqlTypeName.VARCHAR, false),
        new Param("test_end", SqlTypeName.VARCHAR, true),
        new Param("k", SqlTypeName.BIGINT, true),
        new Param("methods", SqlTypeName.VARCHAR, true),
        new Param("protocol", SqlTypeName.VARCHAR, true));
  }

  @Override
  protected String sql(Args a) {
    Instant cutoff = day(a, "cutoff", a.required("cutoff"));
    String endText = a.string("test_end", null);
    Instant end = endText == null ? defaultEnd() : day(a, "test_end", endText);
    int k = (int) a.integer("k", 20, 1, 1000);
    List<String> methods = new ArrayList<>();
    String m = a.string("methods", "");
    if (m.isEmpty()) {
      methods.addAll(RecEvaluator.allMethods());
    } else {
      for (String x : m.split(",")) {
        String name = x.trim().toLowerCase(Locale.ROOT);
        if (!RecEvaluator.allMethods().contains(name)) {
          throw new IllegalArgumentException(a.where("methods") + " must list some of "
              + String.join(", ", RecEvaluator.allMethods()) + ", got '" + x.trim() + "'");
        }
        methods.add(name);
      }
    }
    String protocolText = a.string("protocol", "temporal");
    String[] ps = protocolText.split(":", 2);
    EvalProtocol protocol;
    long seed = RecEvaluator.DEFAULT_SEED;
    try {
      protocol = EvalProtocol.parse(ps[0]);
      if (ps.length == 2) {
        seed = Long.parseLong(ps[1].trim());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(a.where("protocol") + " must be temporal, random, random:SEED or"
          + " leave_last_out, got '" + protocolText + "'");
    }
    List<RecEvaluator.Result> results = evaluate(protocol, seed, cutoff, end, k, methods);
    StringBuilder sql = new StringBuilder();
    for (RecEvaluator.Result r : results) {
      sql.append(sql.isEmpty() ? "" : " UNION ALL ").append("SELECT ").append(SqlBinder.quote(r.method()))
          .append(" AS method_name, toInt64(").append(r.persons()).append(") AS persons, toInt32(").append(k)
          .append(") AS k, toFloat64(").append(r.precision()).append(") AS precision_at_k, toFloat64(")
          .append(r.recall()).append(") AS recall_at_k, toFloat64(").append(r.ndcg()).append(") AS ndcg_at_k, toFloat64(")
          .append(r.hitRate()).append(") AS hit_rate_at_k, toFloat64(")
          .append(r.coverage()).append(") AS coverage");
    }
    return sql.toString();
  }

  private Instant defaultEnd() {
    try {
      return evaluator.asOf();
    } catch (SQLException e) {
      throw new IllegalStateException("rec_eval cannot read the newest event time: " + e.getMessage(), e);
    }
  }

  /**
   * Calcite expands a table macro more than once while planning one statement; the figures of
   * a call are kept for a minute so one statement runs one evaluation.
   */
  private List<RecEvaluator.Result> evaluate(EvalProtocol protocol, long seed, Instant cutoff, Instant end, int k,
                                            List<String> methods) {
    String key = protocol + "|" + seed + "|" + cutoff + "|" + end + "|" + k + "|" + methods;
    long now = System.nanoTime();
    synchronized (recent) {
      recent.values().removeIf(e -> now - e.at() > TimeUnit.MINUTES.toNanos(1));
      Figures f = recent.get(key);
      if (f != null) {
        return f.results();
      }
    }
    try {
      List<RecEvaluator.Result> results = evaluator.evaluate(protocol, seed, cutoff, end, k, methods);
      synchronized (recent) {
        recent.put(key, new Figures(now, results));
      }
      return results;
    } catch (SQLException e) {
      throw new IllegalStateException("rec_eval failed in the warehouse: " + e.getMessage(), e);
    }
  }

  /** One evaluation's figures and when they were made. */
  private record Figures(long at, List<RecEvaluator.Result> results) {
  }

  private static Instant day(Args a, String name, String text) {
    try {
      return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(a.where(name) + " must be a date YYYY-MM-DD, got '" + text + "'");
    }
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("method_name", SqlTypeName.VARCHAR).add("persons", SqlTypeName.BIGINT)
        .add("k", SqlTypeName.INTEGER).add("precision_at_k", SqlTypeName.DOUBLE).add("recall_at_k", SqlTypeName.DOUBLE)
        .add("ndcg_at_k", SqlTypeName.DOUBLE).add("hit_rate_at_k", SqlTypeName.DOUBLE)
        .add("coverage", SqlTypeName.DOUBLE).build();
  }
}
