package dev.lode.udf.golden;

import dev.lode.sql.schema.CalciteHarness;
import java.util.List;
import net.hydromatic.quidem.AbstractCommand;

/**
 * {@code !native}: prints the ClickHouse SQL the previous query pushed down, one statement after
 * another separated by {@code ----}, so a script shows what runs in the warehouse and a change of
 * pushdown fails it.
 */
final class NativeCommand extends AbstractCommand {
  private final List<String> lines;
  private final List<String> content;

  NativeCommand(List<String> lines, List<String> content) {
    this.lines = List.copyOf(lines);
    this.content = List.copyOf(content);
  }

  @Override
  public void execute(Context x, boolean execute) throws Exception {
    if (!execute) {
      x.echo(content);
    } else {
      CalciteHarness.Answer a = CalciteHarness.run(x.connection(), x.previousSqlCommand().sql);
      for (int i = 0; i < a.pushed().size(); i++) {
        if (i > 0) {
          x.writer().println("----");
        }
        for (String line : a.pushed().get(i).split("\n")) {
          x.writer().println(line.stripTrailing());
        }
      }
    }
    x.echo(lines);
  }
}
