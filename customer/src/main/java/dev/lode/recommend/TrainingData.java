package dev.lode.recommend;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which purchases a model build and an evaluation's recommendations read: the warehouse's own
 * {@code order_lines} and behaviour events, or an evaluation's table of training lines (an order-lines
 * table with the held-out purchases removed) and no events, so nothing held out leaks back in through
 * a purchase event. Generated SQL is written against the warehouse's names; {@link #rewrite} points it here.
 */
record TrainingData(String lines, boolean events) {
  /** The warehouse's own tables (serving, and the temporal split, which cuts by time). */
  static final TrainingData WAREHOUSE = new TrainingData("order_lines", true);

  private static final Pattern LINES = Pattern.compile("\\bFROM order_lines\\b");
  private static final Pattern EVENTS = Pattern.compile("\\bFROM (events|profile_events_all)\\b");

  /** The text with its order lines read from {@link #lines} and, without events, every event source empty. */
  String rewrite(String sql) {
    if (lines.equals("order_lines") && events) {
      return sql;
    }
    String out = LINES.matcher(sql).replaceAll("FROM " + Matcher.quoteReplacement(lines));
    return events ? out : EVENTS.matcher(out).replaceAll("FROM (SELECT * FROM $1 WHERE 0)");
  }
}
