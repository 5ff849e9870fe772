package dev.lode.sql.server;

import dev.lode.udf.TimeGrainRewriter;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * The statement Calcite runs for the one a client sent: BI tools' {@code DATE_TRUNC('unit', ts)}
 * rewritten to {@code FLOOR(ts TO unit)} so it is pushed down; anything else passes untouched.
 */
final class StatementRewriter {
  private StatementRewriter() {
  }

  static String rewrite(String sql) {
    if (!TimeGrainRewriter.mayApply(sql)) {
      return sql;
    }
    try {
      SqlNode node = SqlParser.create(sql, ClientDialect.parserConfig()).parseStmt();
      SqlNode rewritten = node.accept(new TimeGrainRewriter());
      return rewritten.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true))
          .getSql();
    } catch (SqlParseException e) {
      return sql; // Calcite reports the syntax error itself
    }
  }
}
