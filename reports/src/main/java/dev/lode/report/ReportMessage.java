package dev.lode.report;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a delivery says about a run: a subject with the title and period, the headline figures
 * as lines and as an HTML mail body, a link to the report when {@code lode.reports.link-base} is set,
 * and the files to attach (the PDF).
 */
public record ReportMessage(ReportDocument document, String subject, List<String> figureLines, String html,
                            String text, Optional<String> link, List<Path> attachments) {

  /** The message for a run that wrote {@code files}; {@code linkBase} is where {@code <report>/latest.html} is served. */
  public static ReportMessage of(ReportDocument doc, List<Path> files, Optional<URI> linkBase) {
    ReportDefinition d = doc.report();
    String subject = d.title() + " · " + doc.period();
    List<String> lines = new ArrayList<>();
    for (HeadlineFigure f : doc.figures()) {
      String change = f.change().isEmpty() ? "" : " (" + f.change() + " vs previous period)";
      lines.add(f.headline().label() + ": " + f.text(doc.currency()) + change);
    }
    if (!doc.hasData()) {
      lines.add("No data for " + doc.period());
    }
    Optional<String> link = linkBase.map(b -> b.resolve(d.name() + "/latest.html").toString());
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>" + HtmlOutput.STYLE
        + "</style></head><body>");
    html.append("<h1>").append(HtmlOutput.escape(d.title())).append("</h1><p class=\"period\">")
        .append(HtmlOutput.escape(doc.period())).append("</p>");
    html.append(HtmlOutput.headline(doc));
    if (!doc.hasData()) {
      html.append("<div class=\"nodata\">No data for ").append(HtmlOutput.escape(doc.period())).append(".</div>");
    }
    List<Path> attach = files.stream().filter(f -> f.getFileName().toString().endsWith(".pdf")).toList();
    html.append("<p>").append(attach.isEmpty() ? "" : "The full report is attached as a PDF. ");
    link.ifPresent(l -> html.append("<a href=\"").append(HtmlOutput.escape(l)).append("\">Open the report</a>."));
    html.append("</p></body></html>");
    String text = subject + "\n\n" + String.join("\n", lines) + link.map(l -> "\n\n" + l).orElse("") + "\n";
    return new ReportMessage(doc, subject, List.copyOf(lines), html.toString(), text, link, attach);
  }
}
