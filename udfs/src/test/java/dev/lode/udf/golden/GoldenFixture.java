package dev.lode.udf.golden;

import dev.lode.config.LodeConfig;
import dev.lode.recommend.ModelBuilder;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
import dev.lode.tags.TagService;
import dev.lode.testing.BehaviorFixture;
import dev.lode.warehouse.Warehouse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The small shop every golden script reads, written once per test JVM into a database of its
 * own: five people browsing, carting and buying on 1-3 October 2031, at fixed times so every
 * funnel, retention and path count in the scripts can be checked by hand.
 */
final class GoldenFixture {
  static final Instant NOW = Instant.parse("2031-10-10T00:00:00Z");
  /** The clock of the fixture's tag refresh: the day after its last event. */
  static final String TAGS_AS_OF = "2031-10-04T00:00:00Z";

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
    // bob and eve let Lode personalise (recommend.iq); the others never said so, and get context-only lists
    f.consent("bob", "personalization", true, Instant.parse("2031-09-01T00:00:00Z"));
    f.consent("eve", "personalization", true, Instant.parse("2031-09-01T00:00:00Z"));
    f.exec("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES"
        + " ('ada', now(), now(), 'UK'), ('bob', now(), now(), 'FR'), ('cy', now(), now(), 'UK'),"
        + " ('dee', now(), now(), 'DE'), ('eve', now(), now(), 'FR')");
    // the catalog (the events' item ids are item-<category>) and the orders the recommendation model learns
    // from: shoes and socks are bought together twice (ada, dee), hats and socks once (bob); ada's second
    // order pairs shoes and hats; cy's order has one item (no pair)
    f.exec("INSERT INTO items (item_id, title, category, price, stock, consumable, seasons, source, loaded_at) VALUES"
        + " ('item-shoes', 'shoes', 'shoes', 60, 9, 0, [], 'fixture', now64(3)),"
        + " ('item-socks', 'socks', 'shoes', 5, 9, 0, [], 'fixture', now64(3)),"
        + " ('item-hats', 'hat', 'hats', 20, 9, 0, [], 'fixture', now64(3)),"
        + " ('item-books', 'book', 'books', 15, 9, 0, [], 'fixture', now64(3))");
    f.exec("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
        + " unit_price, status, source, loaded_at) VALUES "
        + line("o-1", 1, "ada", "2031-10-01T10:20:00Z", "item-shoes") + ", " + line("o-1", 2, "ada", "2031-10-01T10:20:00Z", "item-socks")
        + ", " + line("o-2", 1, "dee", "2031-10-02T08:15:00Z", "item-shoes") + ", " + line("o-2", 2, "dee", "2031-10-02T08:15:00Z", "item-socks")
        + ", " + line("o-3", 1, "bob", "2031-10-03T16:00:00Z", "item-hats") + ", " + line("o-3", 2, "bob", "2031-10-03T16:00:00Z", "item-socks")
        + ", " + line("o-4", 1, "cy", "2031-10-02T12:00:00Z", "item-books")
        + ", " + line("o-5", 1, "ada", "2031-10-04T09:00:00Z", "item-shoes") + ", " + line("o-5", 2, "ada", "2031-10-04T09:00:00Z", "item-hats"));
  }

  /**
   * What Lode computes from the fixture, by its own code: tag values from the tag refresh as of
   * {@link #TAGS_AS_OF} (as {@code lode tags refresh --as-of} does) and the live recommendation
   * model, built from everything before {@link #NOW}.
   */
  static void derive(Warehouse w) throws SQLException {
    LodeConfig config = config();
    TagService tags = TagService.open(w, config);
    TagService.Cycle cycle = tags.refresh(tags.asOf(TAGS_AS_OF), List.of("cart_abandoner"), false, false);
    if (!cycle.tags().stream().allMatch(TagService.TagOutcome::refreshed)) {
      throw new IllegalStateException("the fixture's tag refresh failed: " + cycle);
    }
    new ModelBuilder(w, RecommendSettings.from(config)).build(Recommender.LIVE, NOW, true);
  }

  /**
   * The configuration the scripts run with: the defaults, with the recommender's clock
   * ({@code lode.recommend.as-of}) at {@link #NOW}, when the fixture's history is days old, not years ahead.
   */
  static LodeConfig config() {
    // the trained ease source is off here: the scripts' references recompute the co-occurrence blend by
    // hand in SQL, which EASE's matrix inverse is not (EaseModelTest checks it against a closed form)
    return LodeConfig.load().with("lode.recommend.as-of", NOW.toString()).with("lode.recommend.weight.ease", "0");
  }

  private static String line(String order, int no, String person, String time, String item) {
    return "('" + order + "', " + no + ", '" + person + "', '" + person + "', toDateTime64('"
        + time.replace('T', ' ').replace("Z", "") + "', 3, 'UTC'), '" + item + "', 1, 1, 'completed', 'fixture', now64(3))";
  }

  private static void at(BehaviorFixture f, String person, String event, String category, String time, String session) {
    f.event(person, event, category, Duration.between(Instant.parse(time), NOW), 1000, session);
  }
}
