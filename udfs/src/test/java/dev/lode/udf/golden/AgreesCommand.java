package dev.lode.udf.golden;

import dev.lode.sql.schema.CalciteHarness;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.hydromatic.quidem.AbstractCommand;

/**
 * {@code !agrees}: the lines above it are a native ClickHouse query written independently of the
 * function (with {@code windowFunnel}, {@code retention}, plain {@code GROUP BY} ...); it runs
 * directly in ClickHouse and its rows must equal the previous query's, else the rows of both are
 * printed into the script and the diff fails.
 */
final class AgreesCommand extends AbstractCommand {
  private final List<String> lines;
  private final List<String> content;
  private final Connection clickhouse;

  AgreesCommand(List<String> lines, List<String> content, Connection clickhouse) {
    this.lines = List.copyOf(lines);
    this.content = List.copyOf(content);
    this.clickhouse = clickhouse;
  }

  @Override
  public void execute(Context x, boolean execute) throws Exception {
    x.echo(content);
    if (execute) {
      List<List<Object>> reference = sorted(CalciteHarness.nativeRows(clickhouse, String.join("\n", content)));
      List<List<Object>> actual = sorted(CalciteHarness.run(x.connection(), x.previousSqlCommand().sql).rows());
      if (reference.isEmpty()) {
        x.writer().println("REFERENCE QUERY RETURNED NO ROWS");
      } else if (!reference.equals(actual)) {
        x.writer().println("REFERENCE DISAGREES");
        x.writer().println("reference: " + reference);
        x.writer().println("function:  " + actual);
      }
    }
    x.echo(lines);
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }
}
