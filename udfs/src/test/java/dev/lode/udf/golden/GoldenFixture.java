package dev.lode.udf.golden;

import dev.lode.testing.BehaviorFixture;
import dev.lode.warehouse.Warehouse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The small shop every golden script reads, written once per test JVM into a database of its
 * own: five people browsing, carting and buying on 1-3 October 2031, at fixed times so every
 * funnel, retention and path count in the scripts can be checked by hand.
 */
final class GoldenFixture {
  static final Instant NOW = Instant.parse("2031-10-10T00:00:00Z");

  private GoldenFixture() {
  }

  static void write(Warehouse w) throws SQLException {
    BehaviorFixture f = new BehaviorFixture(w, NOW);
    // ada: the whole funnel within 20 minutes, back the next day
    at(f, "ada", "page_view", "shoes", "2031-10-01T10:00:00Z", "ada-1");
    at(f, "ada", "add_to_cart", "shoes", "2031-10-01T10:05:00Z", "ada-1");
    at(f, "ada", "purchase", "shoes", "2031-10-01T10:20:00Z", "ada-1");
    at(f, "ada", "page_view", "hats", "2031-10-02T09:00:00Z", "ada-2");
    // bob: views and carts, never buys; back two days later
    at(f, "bob", "page_view", "hats", "2031-10-01T11:00:00Z", "bob-1");
    at(f, "bob", "add_to_cart", "hats", "2031-10-01T11:30:00Z", "bob-1");
    at(f, "bob", "page_view", "books", "2031-10-03T15:00:00Z", "bob-2");
    // cy: views, buys a day later (outside a one-hour funnel window)
    at(f, "cy", "page_view", "books", "2031-10-01T12:00:00Z", "cy-1");
    at(f, "cy", "purchase", "books", "2031-10-02T12:00:00Z", "cy-2");
    // dee: the whole funnel on the second day
    at(f, "dee", "page_view", "shoes", "2031-10-02T08:00:00Z", "dee-1");
    at(f, "dee", "add_to_cart", "shoes", "2031-10-02T08:10:00Z", "dee-1");
    at(f, "dee", "purchase", "shoes", "2031-10-02T08:15:00Z", "dee-1");
    // eve: carts without a view first
    at(f, "eve", "add_to_cart", "hats", "2031-10-01T13:00:00Z", "eve-1");
    f.flush();
    f.exec("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES"
        + " ('ada', now(), now(), 'UK'), ('bob', now(), now(), 'FR'), ('cy', now(), now(), 'UK'),"
        + " ('dee', now(), now(), 'DE'), ('eve', now(), now(), 'FR')");
  }

  private static void at(BehaviorFixture f, String person, String event, String category, String time, String session) {
    f.event(person, event, category, Duration.between(Instant.parse(time), NOW), 1000, session);
  }
}
