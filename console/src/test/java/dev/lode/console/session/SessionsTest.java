package dev.lode.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions: unguessable ids and CSRF tokens, found only while open, gone at sign-out or when idle too long. */
class SessionsTest {
  @TempDir
  Path data;

  private Credentials.User someone(Credentials credentials) {
    return credentials.users().values().iterator().next();
  }

  @Test
  void aSessionIsFoundUntilClosed() {
    Credentials credentials = Credentials.load(LodeConfig.load().with("lode.data.dir", data.toString()));
    Sessions sessions = new Sessions(credentials, 30);
    ConsoleSession s = sessions.open(someone(credentials));
    assertEquals(s, sessions.find(s.id()).orElseThrow());
    assertNotEquals(s.id(), s.csrf());
    assertEquals(43, s.id().length(), "256 bits, base64url without padding");
    assertTrue(Sessions.csrfMatches(s, s.csrf()));
    assertFalse(Sessions.csrfMatches(s, s.csrf().substring(1)));
    assertFalse(Sessions.csrfMatches(s, null));
    assertTrue(sessions.find("not-" + s.id()).isEmpty());
    assertTrue(sessions.find(null).isEmpty());
    sessions.close(s.id());
    assertTrue(sessions.find(s.id()).isEmpty());
  }

  @Test
  void anIdleSessionIsGone() {
    Credentials credentials = Credentials.load(LodeConfig.load().with("lode.data.dir", data.toString()));
    Sessions sessions = new Sessions(credentials, 0);
    ConsoleSession s = sessions.open(someone(credentials));
    assertTrue(sessions.find(s.id()).isEmpty(), "an idle limit of 0 minutes ends every session at once");
  }

  @Test
  void historyKeepsTheNewestDistinctStatements() {
    Credentials credentials = Credentials.load(LodeConfig.load().with("lode.data.dir", data.toString()));
    ConsoleSession s = new Sessions(credentials, 30).open(someone(credentials));
    for (int i = 0; i < ConsoleSession.HISTORY + 5; i++) {
      s.ran("SELECT " + i, "ok");
    }
    s.ran("SELECT 7", "again");
    assertEquals(ConsoleSession.HISTORY, s.history().size());
    assertEquals("SELECT 7", s.history().getFirst().sql());
    assertEquals(1, s.history().stream().filter(r -> r.sql().equals("SELECT 7")).count());
  }
}
