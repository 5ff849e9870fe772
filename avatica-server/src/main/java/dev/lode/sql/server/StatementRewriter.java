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

  /** The statement without one trailing semicolon and the white space around it (JDBC statements carry none). */
  static String withoutTrailingSemicolon(String sql) {
    String s = sql.stripTrailing();
    return s.endsWith(";") ? s.substring(0, s.length() - 1).stripTrailing() : sql;
  }

  /**
   * The query with its row limit lowered to {@code maxRows} (the client's
   * {@code Statement.setMaxRows}), as a LIMIT Calcite pushes down to ClickHouse instead of
   * reading the whole table; statements that are not queries, and any the parser refuses,
   * are returned unchanged.
   */
  static String limited(String sql, long maxRows) {
    if (maxRows <= 0) {
      return sql;
    }
    SqlNode node;
    try {
      node = SqlParser.create(sql, ClientDialect.parserConfig()).parseStmt();
    } catch (SqlParseException e) {
      return sql;
    }
    if (!node.getKind().belongsTo(org.apache.calcite.sql.SqlKind.QUERY)) {
      return sql;
    }
    SqlNode limit = org.apache.calcite.sql.SqlLiteral.createExactNumeric(Long.toString(maxRows),
        org.apache.calcite.sql.parser.SqlParserPos.ZERO);
    SqlNode out;
    if (node instanceof org.apache.calcite.sql.SqlOrderBy ob) {
      if (ob.fetch != null && !(ob.fetch instanceof org.apache.calcite.sql.SqlLiteral)) {
        return sql;
      }
      SqlNode fetch = ob.fetch != null
          && ((org.apache.calcite.sql.SqlLiteral) ob.fetch).longValue(true) <= maxRows ? ob.fetch : limit;
      out = new org.apache.calcite.sql.SqlOrderBy(ob.getParserPosition(), ob.query, ob.orderList, ob.offset, fetch);
    } else if (node instanceof org.apache.calcite.sql.SqlSelect select && select.getFetch() == null) {
      select.setFetch(limit);
      out = select;
    } else if (node instanceof org.apache.calcite.sql.SqlSelect) {
      return sql; // a LIMIT of its own, not a literal ORDER BY form: leave it
    } else {
      out = new org.apache.calcite.sql.SqlOrderBy(org.apache.calcite.sql.parser.SqlParserPos.ZERO, node,
          org.apache.calcite.sql.SqlNodeList.EMPTY, null, limit);
    }
    return out.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true)).getSql();
  }

  static String rewrite(String sql) {
    return TimeGrainRewriter.rewrite(sql, ClientDialect.parserConfig());
  }
}
