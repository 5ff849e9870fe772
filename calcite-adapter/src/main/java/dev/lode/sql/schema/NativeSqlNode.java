package dev.lode.sql.schema;

import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A parenthesized native ClickHouse query standing where Calcite's SQL generator expects a
 * table name, so a behavior function's SQL becomes a sub-query the rest of the statement
 * (filters, joins with persons, sorts) is pushed down around. It is an identifier to
 * Calcite's visitors, which only need to treat it as an opaque relation.
 */
public final class NativeSqlNode extends SqlIdentifier {
  private final String sql;

  public NativeSqlNode(String name, String sql) {
    super(List.of(name), SqlParserPos.ZERO);
    this.sql = sql;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.print("(" + sql + ")");
    writer.setNeedWhitespace(true);
  }

  @Override
  public SqlNode clone(SqlParserPos pos) {
    return new NativeSqlNode(names.get(0), sql);
  }
}
