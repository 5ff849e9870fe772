package dev.lode.config;

import dev.lode.hash.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Back-off after failed logins, per user name and per client address, shared by every place
 * a secret is checked (the SQL endpoint's Basic credentials and connection properties, the
 * collector's write keys): after {@value #FREE_FAILURES} failures in a row a user (after
 * {@value #FREE_ADDRESS_FAILURES} an address) waits 1 s before its next attempt is even checked, doubling with each further failure up to
 * 60 s, and failures are forgotten 15 minutes after the last one. Credentials that already
 * succeeded from the same address keep working while that address or user waits — a client
 * with a session is not guessing — so a guesser cannot lock out the users it shares an address with.
 */
public final class LoginBackoff {
  /** Failures in a row of one user name that cost nothing. */
  public static final int FREE_FAILURES = 5;
  /** Failures in a row from one address that cost nothing: more, since users share addresses (NAT, proxies). */
  public static final int FREE_ADDRESS_FAILURES = 20;
  private static final long MAX_WAIT_MS = 60_000;
  private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(15);
  private static final int MAX_TRACKED = 100_000;
  private static final int MAX_KNOWN = 10_000;

  /** The outcome of one attempt: the authenticated value, or a failure, or a wait. */
  public sealed interface Attempt<T> {
    /** The credentials were right. */
    record Accepted<T>(T value) implements Attempt<T> {
    }

    /** The credentials were wrong. */
    record Rejected<T>() implements Attempt<T> {
    }

    /** Not checked: the user or the address has to wait {@code seconds} more. */
    record Refused<T>(long seconds, String who) implements Attempt<T> {
    }
  }

  private static final class Failures {
    int count;
    long last;
    long until;
  }

  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> known = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_KNOWN;
    }
  };

  /**
   * Checks {@code secret} (for {@code user}, or null for a bare key) sent from {@code address}
   * with {@code check}, unless the user or address is waiting.
   */
  public <T> Attempt<T> attempt(String user, String secret, String address, Supplier<Optional<T>> check) {
    String fingerprint = fingerprint(user, secret, address);
    boolean isKnown;
    synchronized (known) {
      isKnown = known.containsKey(fingerprint);
    }
    if (!isKnown) {
      long now = System.nanoTime();
      long userWait = user == null ? 0 : waitMs("user:" + user, now);
      long addressWait = address == null ? 0 : waitMs("address:" + address, now);
      if (userWait > 0 || addressWait > 0) {
        String who = userWait >= addressWait ? "user '" + user + "'" : "address " + address;
        return new Attempt.Refused<>(Math.max(1, (Math.max(userWait, addressWait) + 999) / 1000), who);
      }
    }
    Optional<T> value = check.get();
    if (value.isPresent()) {
      if (user != null && !isKnown) {
        // a fresh login ends the user's failures; a session's requests do not, or a guesser of the
        // same user would get free attempts after each of them
        failures.remove("user:" + user);
      }
      synchronized (known) {
        known.put(fingerprint, Boolean.TRUE);
      }
      return new Attempt.Accepted<>(value.get());
    }
    failed(user, address);
    return new Attempt.Rejected<>();
  }

  /** Seconds {@code user} (may be null) or {@code address} must still wait before an attempt is checked; 0 if none. */
  public long waitSeconds(String user, String address) {
    long now = System.nanoTime();
    long wait = Math.max(user == null ? 0 : waitMs("user:" + user, now),
        address == null ? 0 : waitMs("address:" + address, now));
    return wait == 0 ? 0 : Math.max(1, (wait + 999) / 1000);
  }

  /** Counts a failure checked elsewhere (a write key found in a request body) for {@code user} and {@code address}. */
  public void failed(String user, String address) {
    long now = System.nanoTime();
    if (user != null) {
      fail("user:" + user, now, FREE_FAILURES);
    }
    if (address != null) {
      fail("address:" + address, now, FREE_ADDRESS_FAILURES);
    }
  }

  private long waitMs(String key, long now) {
    Failures f = failures.get(key);
    if (f == null) {
      return 0;
    }
    synchronized (f) {
      return Math.max(0, TimeUnit.NANOSECONDS.toMillis(f.until - now));
    }
  }

  private void fail(String key, long now, int free) {
    if (failures.size() > MAX_TRACKED) {
      failures.entrySet().removeIf(e -> now - e.getValue().last > FORGET_NANOS);
    }
    Failures f = failures.computeIfAbsent(key, k -> new Failures());
    synchronized (f) {
      if (now - f.last > FORGET_NANOS) {
        f.count = 0;
      }
      f.count++;
      f.last = now;
      if (f.count >= free) {
        long wait = Math.min(MAX_WAIT_MS, 1000L << Math.min(16, f.count - free));
        f.until = now + TimeUnit.MILLISECONDS.toNanos(wait);
      }
    }
  }

  private static String fingerprint(String user, String secret, String address) {
    return Sha256.hex((user == null ? "" : user) + "\0" + (secret == null ? "" : secret) + "\0"
        + (address == null ? "" : address));
  }
}
