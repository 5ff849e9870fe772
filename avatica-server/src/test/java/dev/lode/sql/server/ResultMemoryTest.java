package dev.lode.sql.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.Meta.Frame;
import org.junit.jupiter.api.Test;

/** The heap budgets of held results (per statement, per user, for all users) and the largest frame served. */
class ResultMemoryTest {
  private static final long ROW = 100;

  @Test
  void rowsPastTheStatementsTheUsersOrAllUsersBudgetAreNotKept() {
    ResultMemory memory = new ResultMemory(1000, 1500, 2000, Long.MAX_VALUE);
    RemoteStatement a1 = statement("a");
    RemoteStatement a2 = statement("a");
    RemoteStatement b1 = statement("b");
    assertEquals(10, keep(memory, a1, 20), "the statement's budget: 1000 bytes");
    assertEquals(5, keep(memory, a2, 20), "the user's budget: 1500 bytes over both of a's statements");
    // b's own budgets would allow 10 rows, but a holds 1500 of the 2000 all users may hold
    assertEquals(5, keep(memory, b1, 20), "all users' budget: 2000 bytes");
    assertEquals(2000, memory.heldByAll());
    memory.release(a1);
    assertEquals(1000, memory.heldByAll());
    assertEquals(500, memory.heldBy("a"));
    assertEquals(5, keep(memory, b1, 20), "b's statement budget is what bounds it once a gave memory back");
    assertEquals(500 + 1000, memory.heldByAll());
    memory.release(a2);
    memory.release(b1);
    assertEquals(0, memory.heldByAll());
    assertEquals(0, memory.heldBy("a") + memory.heldBy("b"));
  }

  @Test
  void aFetchAskingForEveryRowGetsThemInFramesOfAtMostTheLargestSize() {
    ResultMemory memory = new ResultMemory(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
    ResultFrames frames = new ResultFrames(new SqlLimits(60, 1_000_000, 1800, 0, 0, 0, 300, 0, Path.of("unused"), 1),
        memory);
    RemoteStatement s = statement("a");
    int total = 2 * ResultFrames.MAX_FRAME_ROWS + 123;
    s.rows = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      s.rows.add(new Object[] {(long) i});
    }
    List<Object> served = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Frame f;
    do {
      f = frames.next(s, served.size(), Integer.MAX_VALUE);
      sizes.add(f.rows instanceof List<?> l ? l.size() : -1);
      f.rows.forEach(served::add);
    } while (!f.done);
    assertEquals(List.of(ResultFrames.MAX_FRAME_ROWS, ResultFrames.MAX_FRAME_ROWS, 123), sizes);
    assertEquals(total, served.size());
    for (int i = 0; i < total; i++) {
      assertEquals((long) i, ((Object[]) served.get(i))[0]);
    }
    assertTrue(s.rows == null, "the result is dropped after its last frame");
    assertEquals(0, memory.heldByAll());
  }

  private static int keep(ResultMemory memory, RemoteStatement s, int rows) {
    int kept = 0;
    for (int i = 0; i < rows; i++) {
      if (memory.keep(s, ROW)) {
        kept++;
      }
    }
    return kept;
  }

  private static RemoteStatement statement(String user) {
    return new RemoteStatement(new RemoteConnection(new Credentials.User(user, "secret", Credentials.Role.ANALYST),
        null, false, ZoneOffset.UTC));
  }
}
