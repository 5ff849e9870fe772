package dev.lode.console.view;

import java.util.List;
import java.util.Locale;

/**
 * A person's identity graph as inline SVG: the person in the middle, each linked id around it
 * on a spoke labelled with its type, and the persons merged into it or in conflict with it on
 * an outer ring (dashed red for conflicts).
 */
public final class IdentityGraphSvg {
  private static final int SIZE = 520;
  /** Ids drawn at most; the table below the graph lists all. */
  public static final int MAX_IDS = 24;

  /** One node around the person: a label, a smaller caption, and whether it is a conflict. */
  public record Node(String label, String caption, boolean conflict) {
  }

  private IdentityGraphSvg() {
  }

  public static String of(String person, List<Node> ids, List<Node> others) {
    double c = SIZE / 2.0;
    StringBuilder b = new StringBuilder(2048);
    b.append("<svg class=\"graph\" role=\"img\" viewBox=\"0 0 ").append(SIZE).append(' ').append(SIZE)
        .append("\" width=\"").append(SIZE).append("\" height=\"").append(SIZE).append("\"><title>identity graph of ")
        .append(dev.lode.report.HtmlOutput.escape(person)).append("</title>");
    ring(b, ids.subList(0, Math.min(MAX_IDS, ids.size())), c, 150, "#2a6fdb", false);
    ring(b, others.subList(0, Math.min(MAX_IDS, others.size())), c, 235, "#8a5cb8", true);
    b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"#222\"/>", c, c));
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\""
        + " font-weight=\"bold\">", c, c - 14)).append(dev.lode.report.HtmlOutput.escape(person)).append("</text>");
    return b.append("</svg>").toString();
  }

  private static void ring(StringBuilder b, List<Node> nodes, double c, double r, String color, boolean outer) {
    int n = nodes.size();
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      double a = 2 * Math.PI * i / Math.max(1, n) - Math.PI / 2 + (outer ? Math.PI / Math.max(1, n) : 0);
      double x = c + r * Math.cos(a);
      double y = c + r * Math.sin(a);
      String stroke = node.conflict() ? "#d9534f" : outer ? "#8a5cb8" : "#999";
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>", c,
          c, x, y, stroke, node.conflict() ? " stroke-dasharray=\"4 3\"" : ""));
      b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>", x, y,
          node.conflict() ? "#d9534f" : color));
      String label = node.label().length() > 28 ? node.label().substring(0, 27) + "…" : node.label();
      String anchor = x < c - 10 ? "end" : x > c + 10 ? "start" : "middle";
      double dx = anchor.equals("end") ? -8 : anchor.equals("start") ? 8 : 0;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"%s\">", x + dx,
          y + 3, anchor)).append(dev.lode.report.HtmlOutput.escape(label)).append("</text>");
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#777\" text-anchor=\"%s\">",
          x + dx, y + 14, anchor)).append(dev.lode.report.HtmlOutput.escape(node.caption())).append("</text>");
    }
  }
}
