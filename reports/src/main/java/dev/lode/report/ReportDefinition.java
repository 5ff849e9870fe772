package dev.lode.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report: ClickHouse SQL with {@code {name:Type}} parameters, and the metadata in the
 * file's leading {@code -- key: value} comment lines (title, description, param, schedule,
 * formats, chart, column, headline, compare). See docs/reports.md for the format.
 */
public record ReportDefinition(String name, String title, String description, List<ReportParameter> parameters,
                               Optional<CronSchedule> schedule, Set<OutputFormat> formats, List<ChartSpec> charts,
                               List<ColumnLabel> columns, List<Headline> headlines,
                               Optional<PeriodComparison> compare, String sql) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern HEADER = Pattern.compile("--\\s*([a-z]+):\\s?(.*)");
  private static final Pattern PARAM = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s+([A-Za-z0-9]+)\\s*=\\s*([^|]*?)\\s*(?:\\|\\s*(.*))?");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*:\\s*([A-Za-z0-9]+)\\s*}");

  /** Parses a definition file; errors name the report and the header line at fault. */
  public static ReportDefinition parse(String name, String text) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("report name '" + name + "' must match " + NAME.pattern()
          + " (it becomes the view report_" + name + ")");
    }
    String title = null;
    StringBuilder description = new StringBuilder();
    List<ReportParameter> params = new ArrayList<>();
    Optional<CronSchedule> schedule = Optional.empty();
    Set<OutputFormat> formats = EnumSet.of(OutputFormat.CSV, OutputFormat.HTML);
    List<ChartSpec> charts = new ArrayList<>();
    List<ColumnLabel> columns = new ArrayList<>();
    List<Headline> headlines = new ArrayList<>();
    Optional<PeriodComparison> compare = Optional.empty();
    String[] lines = text.split("\n", -1);
    int body = 0;
    try {
      for (; body < lines.length; body++) {
        String line = lines[body].strip();
        if (line.isEmpty() || line.equals("--")) {
          continue;
        }
        Matcher m = HEADER.matcher(line);
        if (!m.matches()) {
          break;
        }
        String value = m.group(2).strip();
        switch (m.group(1)) {
          case "title" -> title = value;
          case "description" -> description.append(description.isEmpty() ? "" : " ").append(value);
          case "param" -> params.add(param(value));
          case "schedule" -> schedule = value.equals("none") ? Optional.empty() : Optional.of(CronSchedule.parse(value));
          case "formats" -> {
            formats = EnumSet.noneOf(OutputFormat.class);
            for (String f : value.split(",")) {
              formats.add(OutputFormat.of(f));
            }
          }
          case "chart" -> {
            ChartSpec c = ChartSpec.parse(value);
            if (c.kind() != ChartSpec.Kind.NONE) {
              charts.add(c);
            }
          }
          case "column" -> columns.add(ColumnLabel.parse(value));
          case "headline" -> headlines.add(Headline.parse(value));
          case "compare" -> compare = Optional.of(PeriodComparison.parse(value));
          default -> throw new IllegalArgumentException("unknown header key '" + m.group(1)
              + "' (title, description, param, schedule, formats, chart, column, headline, compare)");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("report " + name + ", line " + (body + 1) + ": " + e.getMessage(), e);
    }
    String sql = String.join("\n", java.util.Arrays.copyOfRange(lines, body, lines.length)).strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    if (title == null) {
      throw new IllegalArgumentException("report " + name + " has no '-- title:' header line");
    }
    if (sql.isEmpty()) {
      throw new IllegalArgumentException("report " + name + " has no SQL after its header");
    }
    checkPlaceholders(name, sql, params);
    if (compare.isPresent()) {
      for (String p : compare.get().dates()) {
        if (params.stream().noneMatch(q -> q.name().equals(p) && q.type() == ParameterType.DATE)) {
          throw new IllegalArgumentException("report " + name + " compares by '" + p + "', which is not one of its Date"
              + " parameters");
        }
      }
    }
    return new ReportDefinition(name, title, description.toString(), List.copyOf(params), schedule,
        Set.copyOf(formats), List.copyOf(charts), List.copyOf(columns), List.copyOf(headlines), compare, sql);
  }

  /** A definition with one chart and no layout declarations (the shape before headlines and labels). */
  public ReportDefinition(String name, String title, String description, List<ReportParameter> parameters,
                          Optional<CronSchedule> schedule, Set<OutputFormat> formats, ChartSpec chart, String sql) {
    this(name, title, description, parameters, schedule, formats,
        chart.kind() == ChartSpec.Kind.NONE ? List.of() : List.of(chart), List.of(), List.of(), Optional.empty(), sql);
  }

  /** The first chart, or {@link ChartSpec#NONE}. */
  public ChartSpec chart() {
    return charts.isEmpty() ? ChartSpec.NONE : charts.getFirst();
  }

  /** What a reader calls {@code column}: its declared label, else the name in words. */
  public String label(String column) {
    return columns.stream().filter(c -> c.column().equals(column)).map(ColumnLabel::label).findFirst()
        .orElse(ColumnFormat.humanize(column));
  }

  /** The declared format of {@code column}, if any. */
  public Optional<ColumnFormat> format(String column) {
    return columns.stream().filter(c -> c.column().equals(column) && c.format() != null).map(ColumnLabel::format)
        .findFirst();
  }

  private static ReportParameter param(String value) {
    Matcher m = PARAM.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("param '" + value + "' must read 'name Type = default | description'");
    }
    return new ReportParameter(m.group(1), ParameterType.of(m.group(2)), m.group(3),
        m.group(4) == null ? "" : m.group(4).strip());
  }

  /** Every {name:Type} in the SQL must be a declared parameter of that type, and every parameter used. */
  private static void checkPlaceholders(String name, String sql, List<ReportParameter> params) {
    Map<String, ReportParameter> declared = new LinkedHashMap<>();
    params.forEach(p -> declared.put(p.name(), p));
    Set<String> used = new java.util.HashSet<>();
    Matcher m = PLACEHOLDER.matcher(sql);
    while (m.find()) {
      ReportParameter p = declared.get(m.group(1));
      if (p == null) {
        throw new IllegalArgumentException("report " + name + " uses {" + m.group(1) + ":" + m.group(2)
            + "} but declares no '-- param: " + m.group(1) + " ...' line");
      }
      if (!p.type().clickHouseName().equals(m.group(2))) {
        throw new IllegalArgumentException("report " + name + " uses {" + m.group(1) + ":" + m.group(2)
            + "} but declares it as " + p.type().clickHouseName());
      }
      used.add(p.name());
    }
    for (String p : declared.keySet()) {
      if (!used.contains(p)) {
        throw new IllegalArgumentException("report " + name + " declares parameter '" + p + "' its SQL never uses");
      }
    }
  }

  /** The parameter called {@code name}, if declared. */
  public Optional<ReportParameter> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The SQL with every {@code {name:Type}} replaced by the parameter's default expression. */
  public String sqlWithDefaults() {
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(parameter(m.group(1)).orElseThrow().defaultSql()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The name of the ClickHouse view over this report with default parameters. */
  public String viewName() {
    return "report_" + name;
  }
}
