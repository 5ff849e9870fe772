package dev.lode.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's kept connections: reused by their own user and address only, never after a failure. */
class UserConnectionsTest {
  /** A connection that records who opened it and whether it was closed. */
  private static final class Recorded implements UserSql.Connection {
    final Credentials.User user;
    boolean closed;
    boolean fail;

    Recorded(Credentials.User user) {
      this.user = user;
    }

    @Override
    public SqlResult query(String sql, List<Object> parameters, int maxRows, boolean keep) throws SQLException {
      if (fail) {
        throw new SQLException("refused", "42501");
      }
      return new SqlResult(List.of("who"), List.of("VARCHAR"), List.of(List.of(user.name())), false, 0);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final List<Recorded> opened = new ArrayList<>();
  private final UserConnections pool = new UserConnections((u, client) -> {
    Recorded r = new Recorded(u);
    opened.add(r);
    return r;
  }, 300);
  private final Credentials.User ann = new Credentials.User("ann", "pw", Credentials.Role.ANALYST);
  private final Credentials.User bob = new Credentials.User("bob", "pw", Credentials.Role.ANALYST);

  @Test
  void aUsersNextPageGetsTheirOwnConnectionBackAndNobodyElseDoes() throws SQLException {
    UserSql.Connection first = pool.open(ann, "10.0.0.1");
    first.query("SELECT 1", List.of(), 1, true);
    first.close();
    assertEquals(1, pool.idleCount());
    assertEquals(false, opened.getFirst().closed);
    UserSql.Connection again = pool.open(ann, "10.0.0.1");
    assertEquals(1, opened.size(), "the same user and address reuse the kept connection");
    again.close();
    pool.open(bob, "10.0.0.1").close();
    pool.open(ann, "10.0.0.2").close();
    assertEquals(3, opened.size(), "another user, or the same user from another address, gets a connection of their own");
    assertEquals("bob", opened.get(1).user.name());
    // a user whose password or role changed is another owner: the old connection is not theirs
    pool.open(new Credentials.User("ann", "pw", Credentials.Role.ADMIN), "10.0.0.1").close();
    assertEquals(4, opened.size());
  }

  @Test
  void aConnectionThatFailedIsClosedNotKept() throws SQLException {
    UserSql.Connection c = pool.open(ann, "10.0.0.1");
    opened.getFirst().fail = true;
    assertThrows(SQLException.class, () -> c.query("SELECT * FROM secret", List.of(), 1, true));
    c.close();
    assertEquals(true, opened.getFirst().closed);
    assertEquals(0, pool.idleCount());
    UserSql.Connection next = pool.open(ann, "10.0.0.1");
    assertEquals(2, opened.size());
    next.close();
  }

  @Test
  void pagesOpenedAtOnceEachGetAConnectionAndAtMostTwoAreKept() throws SQLException {
    UserSql.Connection a = pool.open(ann, "c");
    UserSql.Connection b = pool.open(ann, "c");
    UserSql.Connection d = pool.open(ann, "c");
    assertEquals(3, opened.size(), "a connection is lent to one page at a time");
    assertNotSame(a, b);
    a.close();
    b.close();
    d.close();
    assertEquals(UserConnections.IDLE_PER_USER, pool.idleCount());
    assertEquals(1, opened.stream().filter(r -> r.closed).count(), "the third is closed");
  }

  @Test
  void withoutAnIdleTimeNothingIsKept() throws SQLException {
    List<Recorded> mine = new ArrayList<>();
    UserConnections none = new UserConnections((u, client) -> {
      Recorded r = new Recorded(u);
      mine.add(r);
      return r;
    }, 0);
    UserSql.Connection c = none.open(ann, "c");
    assertSame(mine.getFirst(), c);
    c.close();
    assertEquals(true, mine.getFirst().closed);
  }
}
