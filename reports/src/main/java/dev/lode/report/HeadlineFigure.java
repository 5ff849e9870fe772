package dev.lode.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;

/** One headline figure of a run: its value, the previous period's, and which way it moved. */
public record HeadlineFigure(Headline headline, Optional<BigDecimal> value, Optional<BigDecimal> previous) {
  /** Which way a figure moved against the previous period. */
  public enum Direction { UP, DOWN, FLAT, NONE }

  public Direction direction() {
    if (value.isEmpty() || previous.isEmpty()) {
      return Direction.NONE;
    }
    int c = value.get().compareTo(previous.get());
    return c > 0 ? Direction.UP : c < 0 ? Direction.DOWN : Direction.FLAT;
  }

  /** Whether the move is good news (up, or down for a lower-is-better figure); empty when flat or unknown. */
  public Optional<Boolean> good() {
    return switch (direction()) {
      case UP -> Optional.of(!headline.lowerIsBetter());
      case DOWN -> Optional.of(headline.lowerIsBetter());
      default -> Optional.empty();
    };
  }

  /** The value as a reader sees it, {@code –} when there is none. */
  public String text(Currency currency) {
    return value.map(v -> headline.format().format(v, currency)).orElse("–");
  }

  /**
   * The change in words: percentage points for percentages, else relative
   * ({@code ▲ 12.5% vs previous}); empty when there is nothing to compare.
   */
  public String change() {
    if (direction() == Direction.NONE) {
      return "";
    }
    String arrow = switch (direction()) {
      case UP -> "▲";
      case DOWN -> "▼";
      default -> "■";
    };
    BigDecimal diff = value.get().subtract(previous.get());
    if (headline.format() == ColumnFormat.PERCENT || headline.format() == ColumnFormat.POINTS) {
      return arrow + " " + String.format(Locale.UK, "%.1f pts", diff.abs().doubleValue());
    }
    if (previous.get().signum() == 0) {
      return arrow + " from 0";
    }
    BigDecimal rel = diff.abs().multiply(BigDecimal.valueOf(100)).divide(previous.get().abs(), MathContext.DECIMAL64);
    return arrow + " " + String.format(Locale.UK, "%.1f%%", rel.doubleValue());
  }
}
