package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The token scan that names Calcite's unnamed columns after their select items' text. */
class SelectItemNamesTest {
  @Test
  void itemsOfTheOutermostSelect() {
    assertEquals(List.of("1"), SelectItemNames.items("SELECT 1"));
    assertEquals(List.of("1 + 1", "'a, b'", "f(x, (y))"),
        SelectItemNames.items("select 1 + 1, 'a, b', f(x, (y)) from t where a = 1"));
    assertEquals(List.of("x", "count(1)"), SelectItemNames.items("SELECT DISTINCT x, count(1) FROM t GROUP BY x;"));
    assertEquals(List.of("a", "(SELECT max(b) FROM u WHERE u.c = t.c)"),
        SelectItemNames.items("SELECT a, (SELECT max(b) FROM u WHERE u.c = t.c) FROM t ORDER BY 1 LIMIT 3"));
    assertEquals(List.of("\"FROM\"", "`x,y`"), SelectItemNames.items("SELECT \"FROM\", `x,y` FROM t"));
    assertEquals(List.of("ARRAY[1, 2]"), SelectItemNames.items("-- lead\nSELECT /* c */ ARRAY[1, 2]"));
  }

  @Test
  void noItemsWhereTheColumnsCannotBeMatched() {
    assertEquals(List.of(), SelectItemNames.items("SELECT * FROM t"));
    assertEquals(List.of(), SelectItemNames.items("SELECT count(*) FROM t"));
    assertEquals(List.of(), SelectItemNames.items("SELECT 1 UNION ALL SELECT 2"));
    assertEquals(List.of(), SelectItemNames.items("SELECT a FROM t UNION SELECT b FROM u"));
    assertEquals(List.of(), SelectItemNames.items("WITH x AS (SELECT 1) SELECT * FROM x"));
    assertEquals(List.of(), SelectItemNames.items("VALUES (1)"));
    assertEquals(List.of(), SelectItemNames.items("SELECT f(1 FROM t"));
  }

  @Test
  void namesOnlyTheUnnamedAndNeverTwiceTheSame() {
    assertEquals(List.of("1 + 1", "b"), SelectItemNames.name("SELECT 1 + 1, a AS b", List.of("EXPR$0", "b")));
    assertEquals(List.of("x", "expr2"), SelectItemNames.name("SELECT x, x FROM t", List.of("x", "EXPR$1")));
    assertEquals(List.of("expr1"), SelectItemNames.name("SELECT\n1\n+ 1", List.of("EXPR$0")));
    assertEquals(List.of("expr1", "expr2"), SelectItemNames.name("SELECT 1 UNION SELECT 2",
        List.of("EXPR$0", "EXPR$1")));
  }
}
