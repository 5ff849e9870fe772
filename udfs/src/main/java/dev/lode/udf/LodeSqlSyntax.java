package dev.lode.udf;

import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * The SQL clients write: Calcite's Babel parser (most SQL keywords — {@code count}, {@code value},
 * {@code day}, {@code rows}, {@code position}, … — usable as aliases and identifiers, as BI tools
 * emit them), double-quoted identifiers, case-insensitive names and Calcite's lenient conformance.
 */
public final class LodeSqlSyntax {
  /** The parser factory as Calcite's {@code parserFactory} connection property names it. */
  public static final String PARSER_FACTORY = SqlBabelParserImpl.class.getName() + "#FACTORY";

  private LodeSqlSyntax() {
  }

  /** The parser configuration statements are read with. */
  public static SqlParser.Config parserConfig() {
    return SqlParser.config().withParserFactory(SqlBabelParserImpl.FACTORY).withLex(Lex.JAVA)
        .withQuoting(Quoting.DOUBLE_QUOTE).withCaseSensitive(false).withConformance(SqlConformanceEnum.LENIENT);
  }
}
