package dev.lode.sql.server;

import java.util.Properties;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/** The SQL dialect clients write, fixed by the server: double-quoted identifiers, case-insensitive names, Calcite's lenient conformance, UTC. */
final class ClientDialect {
  private ClientDialect() {
  }

  /** The parser settings, for checks and rewrites that must parse what Calcite will parse. */
  static SqlParser.Config parserConfig() {
    return SqlParser.config().withLex(Lex.JAVA).withQuoting(Quoting.DOUBLE_QUOTE)
        .withCaseSensitive(false).withConformance(SqlConformanceEnum.LENIENT);
  }

  /** The properties every server-side Calcite connection is opened with. */
  static Properties calciteProperties() {
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("caseSensitive", "false");
    p.setProperty("conformance", "LENIENT");
    p.setProperty("timeZone", "UTC");
    p.setProperty("fun", "standard,postgresql");
    return p;
  }
}
