package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@code bin/lode sql} prints of a remote error. */
class SqlCommandReasonTest {
  @Test
  void theServersMessageNotALambdaOfTheGeneratedSqlInTheAdminsCauses() {
    String admin = "Error -1 (22023) : Error while executing SQL \"SELECT 1\": Remote driver error: funnel(window_seconds)"
        + " must be between 1 and 31622400, got 0\n  caused by IllegalArgumentException: SELECT arrayMap(x -> x.1, ks)";
    assertEquals("funnel(window_seconds) must be between 1 and 31622400, got 0", SqlCommand.reason(admin));
  }

  @Test
  void theLastLinkOfAnExceptionChain() {
    assertEquals("no such table", SqlCommand.reason("RuntimeException: a -> java.sql.SQLException: no such table"));
  }
}
