package dev.lode.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The login back-off's thresholds, waits and the sessions it leaves alone. */
class LoginBackoffTest {
  private static Optional<String> check(String password) {
    return "right".equals(password) ? Optional.of("analyst") : Optional.empty();
  }

  @Test
  void aUserWaitsAfterFiveFailuresAndRightCredentialsWaitToo() {
    LoginBackoff b = new LoginBackoff();
    for (int i = 0; i < LoginBackoff.FREE_FAILURES; i++) {
      assertInstanceOf(LoginBackoff.Attempt.Rejected.class, b.attempt("analyst", "wrong", "10.0.0.1",
          () -> check("wrong")));
    }
    // not checked any more, whatever is sent: a guesser learns nothing while it waits
    var refused = assertInstanceOf(LoginBackoff.Attempt.Refused.class, b.attempt("analyst", "right", "10.0.0.2",
        () -> check("right")));
    assertEquals(1, refused.seconds());
    assertEquals("user 'analyst'", refused.who());
    assertEquals(1, b.waitSeconds("analyst", null));
    // another user from another address is not affected
    assertInstanceOf(LoginBackoff.Attempt.Accepted.class, b.attempt("viewer", "right", "10.0.0.3",
        () -> check("right")));
  }

  @Test
  void credentialsThatSucceededBeforeFromTheSameAddressKeepWorking() {
    LoginBackoff b = new LoginBackoff();
    assertInstanceOf(LoginBackoff.Attempt.Accepted.class, b.attempt("analyst", "right", "10.0.0.1",
        () -> check("right")));
    for (int i = 0; i < 30; i++) {
      b.attempt("analyst", "guess" + i, "10.0.0.1", () -> check("nope"));
    }
    assertTrue(b.waitSeconds("analyst", "10.0.0.1") > 0);
    assertInstanceOf(LoginBackoff.Attempt.Accepted.class, b.attempt("analyst", "right", "10.0.0.1",
        () -> check("right")));
    // the same credentials from a new address are a new login, which waits
    assertInstanceOf(LoginBackoff.Attempt.Refused.class, b.attempt("analyst", "right", "10.0.0.9",
        () -> check("right")));
  }

  @Test
  void anAddressWaitsAfterTwentyFailuresAcrossUsers() {
    LoginBackoff b = new LoginBackoff();
    for (int i = 0; i < LoginBackoff.FREE_ADDRESS_FAILURES; i++) {
      b.attempt("user" + i, "wrong", "10.0.0.7", () -> check("wrong"));
    }
    var refused = assertInstanceOf(LoginBackoff.Attempt.Refused.class, b.attempt("fresh", "right", "10.0.0.7",
        () -> check("right")));
    assertEquals("address 10.0.0.7", refused.who());
    // each further failure doubles the wait, up to a minute
    b.failed(null, "10.0.0.7");
    b.failed(null, "10.0.0.7");
    assertEquals(4, b.waitSeconds(null, "10.0.0.7"));
    for (int i = 0; i < 20; i++) {
      b.failed(null, "10.0.0.7");
    }
    assertEquals(60, b.waitSeconds(null, "10.0.0.7"));
  }
}
