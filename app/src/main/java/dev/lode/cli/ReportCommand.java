package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.report.ConnectionSource;
import dev.lode.report.OutputFormat;
import dev.lode.report.ReportCatalog;
import dev.lode.report.ReportDefinition;
import dev.lode.report.ReportParameter;
import dev.lode.report.ReportRun;
import dev.lode.report.ReportSettings;
import dev.lode.report.ReportViews;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code bin/lode report list | run NAME [--param k=v]… [--format csv|html]… [--out DIR] | views}:
 * lists the report definitions, runs one now (recorded in {@code report_runs} like a
 * scheduled run), or recreates the {@code report_*} views.
 */
final class ReportCommand implements Command {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "scheduled SQL reports: report list | report run NAME [--param k=v] [--format csv|html] [--out DIR]";
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new Lode.UsageException("expects list, run NAME [--param k=v] [--format csv|html] [--out DIR], or views");
    }
    LodeConfig config = LodeConfig.load();
    ReportSettings settings = ReportSettings.of(config);
    ReportCatalog catalog = settings.catalog();
    return switch (args.get(0)) {
      case "list" -> list(catalog);
      case "run" -> runReport(config, settings, catalog, args.subList(1, args.size()));
      case "views" -> views(config, catalog);
      default -> throw new Lode.UsageException("unknown subcommand '" + args.get(0) + "' (list, run, views)");
    };
  }

  private static int list(ReportCatalog catalog) {
    for (ReportDefinition d : catalog.all()) {
      System.out.printf("%-16s %s%n", d.name(), d.title());
      System.out.printf("%-16s schedule: %s · formats: %s · chart: %s · view: %s%n", "",
          d.schedule().map(Object::toString).orElse("none"), formats(d.formats()),
          d.chart().kind().name().toLowerCase(java.util.Locale.ROOT), d.viewName());
      for (ReportParameter p : d.parameters()) {
        System.out.printf("%-16s --param %s=<%s> (default %s)%s%n", "", p.name(), p.type().clickHouseName(),
            p.defaultText().isEmpty() ? "''" : p.defaultText(), p.description().isEmpty() ? "" : "  " + p.description());
      }
    }
    return 0;
  }

  private static String formats(Set<OutputFormat> f) {
    return String.join(",", f.stream().sorted().map(OutputFormat::extension).toList());
  }

  private static int runReport(LodeConfig config, ReportSettings settings, ReportCatalog catalog, List<String> args)
      throws Exception {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      throw new Lode.UsageException("run expects a report name first (see bin/lode report list)");
    }
    ReportDefinition report = catalog.get(args.get(0));
    Map<String, String> params = new LinkedHashMap<>();
    Set<OutputFormat> formats = EnumSet.noneOf(OutputFormat.class);
    Path out = settings.outputDir();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) {
        throw new Lode.UsageException(a + " needs a value");
      }
      String v = args.get(++i);
      switch (a) {
        case "--param" -> {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new Lode.UsageException("--param expects name=value, got '" + v + "'");
          }
          params.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--format" -> {
          try {
            formats.add(OutputFormat.of(v));
          } catch (IllegalArgumentException e) {
            throw new Lode.UsageException(e.getMessage());
          }
        }
        case "--out" -> out = Path.of(v).toAbsolutePath();
        default -> throw new Lode.UsageException("unknown option '" + a + "' (--param, --format, --out)");
      }
    }
    if (formats.isEmpty()) {
      formats = report.formats();
    }
    // one attempt: the user at the terminal sees the error at once and decides
    ReportSettings once = new ReportSettings(settings.definitionsDir(), out, 1, Duration.ZERO,
        settings.timeoutSeconds(), false, settings.zone(), settings.poll());
    Clock clock = Clock.system(settings.zone());
    Optional<Properties> running = SqlCommand.runningServer(config);
    if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
      Properties p = new Properties();
      p.setProperty("user", "lode");
      p.setProperty("password", Files.readString(config.dataDir().resolve("engine.password")).trim());
      p.setProperty("database", config.get("lode.warehouse.database", "lode"));
      p.setProperty("compress", "false");
      String url = running.get().getProperty("warehouse.url");
      return report(once.job(() -> DriverManager.getConnection(url, p), clock).run(report, params, formats, out,
          "cli", Optional.empty()));
    }
    try (Warehouse w = Warehouse.open(config)) {
      return report(once.job(w::connect, clock).run(report, params, formats, out, "cli", Optional.empty()));
    }
  }

  private static int report(ReportRun run) {
    if (run.status() != ReportRun.Status.SUCCEEDED) {
      System.err.println("report " + run.report() + " failed: " + run.error());
      return 1;
    }
    System.out.println("report " + run.report() + ": " + run.rows() + " rows in " + run.durationMs() + " ms "
        + run.parameters());
    for (Path f : run.outputs()) {
      System.out.println("  " + f);
    }
    return 0;
  }

  private static int views(LodeConfig config, ReportCatalog catalog) throws Exception {
    Optional<Properties> running = SqlCommand.runningServer(config);
    if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
      throw new IllegalStateException("a server is running on this data directory; it created the views at start");
    }
    try (Warehouse w = Warehouse.open(config)) {
      ConnectionSource source = w::connect;
      List<String> problems = ReportViews.refresh(source, catalog);
      problems.forEach(System.err::println);
      System.out.println(catalog.all().size() - problems.size() + " report views created");
      return problems.isEmpty() ? 0 : 1;
    }
  }
}
