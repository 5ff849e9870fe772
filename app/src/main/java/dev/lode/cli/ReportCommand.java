package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.report.ConnectionSource;
import dev.lode.report.DataClock;
import dev.lode.report.ReportDelivery;
import dev.lode.report.ReportJob;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lode report list | run NAME [--param k=v]… [--format csv|html]… [--out DIR] | views}:
 * lists the report definitions, runs one now (recorded in {@code report_runs} like a
 * scheduled run), or recreates the {@code report_*} views.
 */
@Command(name = "report", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(list | run | views)",
    description = "Scheduled SQL reports defined in sql/reports/: list them, run one now, recreate their views.",
    subcommands = {ReportCommand.ListReports.class, ReportCommand.Run.class, ReportCommand.Views.class},
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode report list", "  bin/lode report run daily_kpi --format html",
        "  bin/lode report run daily_kpi --param start_date=2011-12-01 --format csv --out reports/"})
final class ReportCommand extends CommandGroup {
  @Override
  String expects() {
    return "list, run NAME or views";
  }

  /** {@code report list}: every definition with its schedule, formats and parameters. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the reports with their schedule,"
      + " formats, chart, view and parameters.", footerHeading = "%nExamples:%n", footer = "  bin/lode report list")
  static final class ListReports implements Callable<Integer> {
    @Override
    public Integer call() {
      ReportCatalog catalog = ReportSettings.of(LodeConfig.load()).catalog();
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
  }

  /** {@code report run NAME}: one run now, recorded like a scheduled one. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a report now (recorded in report_runs"
      + " like a scheduled run) and print the files written; exits 1 when the run failed.",
      footerHeading = "%nExamples:%n",
      footer = {"  bin/lode report run daily_kpi", "  bin/lode report run daily_kpi --format html --out /tmp/r",
          "  bin/lode report run weekly_funnel --param window_hours=48",
          "  bin/lode report run daily_kpi --format pdf --deliver"})
  static final class Run implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the report (see bin/lode report list)")
    String name;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a report parameter (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "csv|html|pdf", description = "an output format (repeatable; default: the"
        + " report's own); pdf is the HTML page printed by headless Chromium")
    List<String> formats = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "where the files go (default lode.reports.output-dir)")
    Path out;

    @Option(names = "--as-of", paramLabel = "latest-data|now|DATE", description = "the day relative date defaults"
        + " (today-7, week_start-1) count from: the day after the newest event or order when that is before today, so"
        + " today-1 is the newest day with data (default ${DEFAULT-VALUE}), now, or a date")
    String asOf = "latest-data";

    @Option(names = "--deliver", description = "also send the run to the report's recipients"
        + " (lode.reports.delivery.<report>.email / .webhook), as a scheduled run would")
    boolean deliver;

    @Override
    public Integer call() throws Exception {
      LodeConfig config = LodeConfig.load();
      ReportSettings settings = ReportSettings.of(config);
      ReportDefinition report = settings.catalog().get(name);
      Set<OutputFormat> chosen = EnumSet.noneOf(OutputFormat.class);
      for (String f : formats) {
        try {
          chosen.add(OutputFormat.of(f));
        } catch (IllegalArgumentException e) {
          throw new Lode.UsageException(e.getMessage());
        }
      }
      if (chosen.isEmpty()) {
        chosen = report.formats();
      }
      Path dir = out == null ? settings.outputDir() : out.toAbsolutePath();
      // one attempt: the user at the terminal sees the error at once and decides
      ReportSettings once = new ReportSettings(settings.definitionsDir(), dir, 1, Duration.ZERO,
          settings.timeoutSeconds(), false, settings.zone(), settings.poll());
      Clock clock = Clock.system(settings.zone());
      Optional<Properties> running = RunFile.read(config);
      if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
        Properties p = new Properties();
        p.setProperty("user", "lode");
        p.setProperty("password", Files.readString(config.dataDir().resolve("engine.password")).trim());
        p.setProperty("database", config.get("lode.warehouse.database", "lode"));
        p.setProperty("compress", "false");
        String url = running.get().getProperty("warehouse.url");
        ConnectionSource source = () -> DriverManager.getConnection(url, p);
        return report(job(once, source, clock, config, settings).run(report, withDefaults(report, source, settings),
            chosen, dir, "cli", Optional.empty()));
      }
      try (Warehouse w = Warehouse.open(config)) {
        ConnectionSource source = w::connect;
        return report(job(once, source, clock, config, settings).run(report, withDefaults(report, source, settings),
            chosen, dir, "cli", Optional.empty()));
      }
    }

    private ReportJob job(ReportSettings once, ConnectionSource source, Clock clock, LodeConfig config,
                          ReportSettings settings) {
      ReportJob job = once.job(source, clock);
      return deliver ? job.withDelivery(ReportDelivery.of(config, settings.catalog(), clock)) : job;
    }

    /**
     * The given parameters plus the relative date defaults ({@code today-7}, {@code week_start-1})
     * counted from {@code --as-of}'s day: by default the day after the newest event or order when
     * that is before today, so a report over historic data (the 2011 demo) shows its last period.
     */
    private Map<String, String> withDefaults(ReportDefinition report, ConnectionSource source, ReportSettings settings)
        throws Exception {
      Optional<LocalDate> day = switch (asOf) {
        case "now" -> Optional.empty();
        case "latest-data" -> new DataClock(source).latestDay(settings.zone()).filter(d -> d.isBefore(LocalDate.now(settings.zone())));
        default -> {
          try {
            yield Optional.of(LocalDate.parse(asOf));
          } catch (java.time.format.DateTimeParseException e) {
            throw new Lode.UsageException("--as-of expects latest-data, now or a date like 2011-12-09, got '" + asOf
                + "'");
          }
        }
      };
      if (day.isEmpty()) {
        return params;
      }
      // "today" is the day after the newest data, so today-1 is the newest day with data
      Clock then = Clock.fixed(day.get().plusDays(1).atStartOfDay(settings.zone()).toInstant(), settings.zone());
      Map<String, String> out = new LinkedHashMap<>(params);
      List<String> used = new ArrayList<>();
      for (ReportParameter p : report.parameters()) {
        if (!out.containsKey(p.name()) && p.defaultText().strip().matches("(today|week_start|month_start).*")) {
          out.put(p.name(), p.defaultValue(then));
          used.add(p.name() + "=" + out.get(p.name()));
        }
      }
      if (!used.isEmpty()) {
        System.err.println("report dates end on " + day.get() + ", the day of the newest data (" + String.join(", ",
            used) + "; --as-of now for today's)");
      }
      return out;
    }
  }

  /** {@code report views}: recreates the report_* views (a starting server does it itself). */
  @Command(name = "views", mixinStandardHelpOptions = true, description = "Recreate the report_* views over the"
      + " warehouse (a starting server does this itself).", footerHeading = "%nExamples:%n",
      footer = "  bin/lode report views")
  static final class Views implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      LodeConfig config = LodeConfig.load();
      ReportCatalog catalog = ReportSettings.of(config).catalog();
      Optional<Properties> running = RunFile.read(config);
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

  private static String formats(Set<OutputFormat> f) {
    return String.join(",", f.stream().sorted().map(OutputFormat::extension).toList());
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
    for (dev.lode.report.DeliveryAttempt a : run.deliveries()) {
      System.out.println("  " + a);
    }
    if (run.deliveryStatus().equals("failed")) {
      System.err.println("report " + run.report() + " was not delivered to every recipient");
      return 1;
    }
    return 0;
  }
}
