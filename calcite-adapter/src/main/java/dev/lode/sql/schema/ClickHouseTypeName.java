package dev.lode.sql.schema;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;

/**
 * A ClickHouse type written verbatim in a generated {@code CAST}: Calcite quotes its type
 * names as identifiers, and ClickHouse reads {@code `Nullable(DateTime)`} as one (unknown) name.
 */
final class ClickHouseTypeName extends SqlTypeNameSpec {
  private final String text;

  ClickHouseTypeName(String text) {
    super(new SqlIdentifier(text, SqlParserPos.ZERO), SqlParserPos.ZERO);
    this.text = text;
  }

  @Override
  public RelDataType deriveType(SqlValidator validator) {
    throw new UnsupportedOperationException("only written into generated ClickHouse SQL");
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.print(text);
    writer.setNeedWhitespace(true);
  }

  @Override
  public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
    return spec instanceof ClickHouseTypeName o && o.text.equals(text) || litmus.fail("{} != {}", this, spec);
  }
}
