package dev.lode.report;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * A run as its readers get it: the result, the previous period's result the headline compares
 * with (when the report declares {@code compare:}), and the currency money is shown in.
 */
public record ReportDocument(ReportResult result, Optional<ReportResult> previous, Currency currency) {

  /** A document of {@code result} alone, money in pounds sterling (the demo data's currency). */
  public static ReportDocument of(ReportResult result) {
    return new ReportDocument(result, Optional.empty(), Currency.getInstance("GBP"));
  }

  public ReportDefinition report() {
    return result.report();
  }

  /** The headline figures with their previous values. */
  public List<HeadlineFigure> figures() {
    List<HeadlineFigure> out = new ArrayList<>();
    for (Headline h : report().headlines()) {
      out.add(new HeadlineFigure(h, hasData() ? h.compute(result) : Optional.empty(),
          previous.filter(ReportDocument::hasData).flatMap(h::compute)));
    }
    return out;
  }

  /** Whether the run found anything: a row with a non-zero number in a charted or headline column. */
  public boolean hasData() {
    return hasData(result);
  }

  private static boolean hasData(ReportResult r) {
    List<String> measures = new ArrayList<>();
    r.report().charts().forEach(c -> measures.addAll(c.y()));
    r.report().headlines().forEach(h -> measures.addAll(h.columns()));
    if (measures.isEmpty()) {
      return !r.rows().isEmpty();
    }
    for (Object[] row : r.rows()) {
      for (String m : measures) {
        double d = ReportResult.number(row[r.indexOf(m)]);
        if (!Double.isNaN(d) && d != 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** How {@code column} is shown: its declared format, else one guessed from its type. */
  public ColumnFormat format(String column) {
    return report().format(column).orElseGet(() -> {
      int i = result.indexOf(column);
      return i < 0 ? ColumnFormat.TEXT : ColumnFormat.guess(result.types().get(i));
    });
  }

  /** The period the run covers, in words, e.g. {@code Sat 3 Dec 2011 – Fri 9 Dec 2011}; else its parameters. */
  public String period() {
    Optional<PeriodComparison> c = report().compare();
    if (c.isPresent()) {
      return c.get().describe(result.parameters());
    }
    List<String> parts = new ArrayList<>();
    for (ReportParameter p : report().parameters()) {
      if (p.type() == ParameterType.DATE && result.parameters().containsKey(p.name())) {
        parts.add(ColumnFormat.humanize(p.name()) + " " + ColumnFormat.DATE.format(result.parameters().get(p.name()), null));
      }
    }
    return parts.isEmpty() ? "all data" : String.join(", ", parts);
  }

  /** The run as the self-contained HTML page the HTML output writes (for a console that shows reports). */
  public String html(java.time.Instant ranAt) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      HtmlOutput.write(this, ranAt, w);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  /** The previous period in words, when the report compares with one. */
  public Optional<String> previousPeriod() {
    return report().compare().map(c -> c.describe(c.previous(result.parameters())));
  }
}
