package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Semicolons split a script only outside quotes and comments; a shell's text is ended only after one. */
class StatementSplitterTest {
  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    String script = "SELECT ';' AS a, \"x;y\", `b;c` FROM t; -- one; two\n"
        + "SELECT 'it\\'s; here' /* a; b */ ;\n"
        + "-- only a comment;\n"
        + "/* and; another */ ;  ;\n"
        + "SELECT 3";
    assertEquals(List.of("SELECT ';' AS a, \"x;y\", `b;c` FROM t",
        "-- one; two\nSELECT 'it\\'s; here' /* a; b */",
        "SELECT 3"), StatementSplitter.split(script));
    // an unclosed quote or comment keeps the rest of the script in the statement
    assertEquals(List.of("SELECT 'open; still"), StatementSplitter.split("SELECT 'open; still"));
    assertEquals(List.of("SELECT 1 /* open; still"), StatementSplitter.split("SELECT 1 /* open; still"));
  }

  @Test
  void aScriptIsEndedAfterItsSemicolonAndNothingButCommentsAndBlanks() {
    assertTrue(StatementSplitter.ended("SELECT 1;"));
    assertTrue(StatementSplitter.ended("SELECT 1; -- done\n  /* really */ "));
    assertTrue(StatementSplitter.ended(""));
    assertFalse(StatementSplitter.ended("SELECT 1"));
    assertFalse(StatementSplitter.ended("SELECT ';'"));
    assertFalse(StatementSplitter.ended("SELECT 'open;"));
    assertFalse(StatementSplitter.ended("SELECT 1; /* open"));
    assertFalse(StatementSplitter.ended("SELECT 1; SELECT 2"));
    assertFalse(StatementSplitter.ended("SELECT 1 -- ;"));
  }
}
