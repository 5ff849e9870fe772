package dev.lode.sql.server;

import java.util.Properties;
import org.apache.calcite.sql.parser.SqlParser;

/** The SQL dialect clients write, fixed by the server ({@link dev.lode.udf.LodeSqlSyntax}: Babel's lenient parser, double-quoted identifiers, case-insensitive names), UTC. */
final class ClientDialect {
  private ClientDialect() {
  }

  /** The parser settings, for checks and rewrites that must parse what Calcite will parse. */
  static SqlParser.Config parserConfig() {
    return dev.lode.udf.LodeSqlSyntax.parserConfig();
  }

  /** The properties every server-side Calcite connection is opened with. */
  static Properties calciteProperties() {
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("caseSensitive", "false");
    p.setProperty("conformance", "LENIENT");
    p.setProperty("parserFactory", dev.lode.udf.LodeSqlSyntax.PARSER_FACTORY);
    p.setProperty("timeZone", "UTC");
    p.setProperty("fun", "standard,postgresql");
    return p;
  }
}
