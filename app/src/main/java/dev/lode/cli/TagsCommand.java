package dev.lode.cli;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import dev.lode.tags.TagCatalog;
import dev.lode.tags.TagDefinition;
import dev.lode.tags.TagDefinitionException;
import dev.lode.tags.TagExplanation;
import dev.lode.tags.TagService;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lode tags list | refresh | explain <person> <tag> | quality}: the tag catalog (with
 * refused definitions and why), a refresh cycle with its timings, one person's evidence for a
 * tag, and per-tag quality.
 */
@Command(name = "tags", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(list | refresh | explain | quality)",
    description = "Customer tags defined in sql/tags/: list the catalog, refresh them, explain one person's tag,"
        + " show their quality.",
    subcommands = {TagsCommand.ListTags.class, TagsCommand.Refresh.class, TagsCommand.Explain.class,
        TagsCommand.Quality.class},
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode tags refresh && bin/lode tags list", "  bin/lode tags refresh --incremental high_value",
        "  bin/lode tags explain p-12345 high_value", "  bin/lode tags quality"})
final class TagsCommand extends CommandGroup {
  @Override
  String expects() {
    return "list, refresh, explain <person> <tag> or quality";
  }

  /** {@code tags list}: the catalog; exits 1 when a definition was refused. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tag definitions, and the refused"
      + " ones with why (exit 1 then).", footerHeading = "%nExamples:%n", footer = "  bin/lode tags list")
  static final class ListTags implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      TagCatalog catalog = TagCatalog.load(LodeConfig.load());
      System.out.printf("%-26s %3s %-9s %-11s %-8s %5s  %s%n", "tag", "ver", "kind", "category", "refresh", "ttl",
          "name");
      for (TagDefinition d : catalog.definitions()) {
        System.out.printf("%-26s %3d %-9s %-11s %-8s %4dd  %s%n", d.id(), d.version(), d.kind().label(), d.category(),
            d.refreshText(), d.ttlDays(), d.name());
      }
      for (TagDefinitionException e : catalog.refused()) {
        System.out.println("REFUSED " + e.getMessage());
      }
      return catalog.refused().isEmpty() ? 0 : 1;
    }
  }

  /** {@code tags refresh}: one profile-and-tag cycle with its timings; exits 1 when a tag failed. */
  @Command(name = "refresh", mixinStandardHelpOptions = true, description = "Refresh profiles, then the tags (all,"
      + " or those named), and print what each step wrote and how long it took; exits 1 when a tag failed.",
      footerHeading = "%nExamples:%n",
      footer = {"  bin/lode tags refresh", "  bin/lode tags refresh --incremental",
          "  bin/lode tags refresh --as-of 2011-12-09T12:00:00Z high_value"})
  static final class Refresh implements Callable<Integer> {
    @Option(names = "--incremental", description = "only the persons with input since the last cycle")
    boolean incremental;

    @Option(names = "--as-of", paramLabel = "auto|now|latest-event|T", description = "the instant profiles and tags"
        + " are computed at: auto (latest-event for data older than a day, else now), now, the newest record in the"
        + " data, or an ISO instant (default: the model clock, lode.model.as-of, auto unless set)")
    String asOf;

    @Parameters(paramLabel = "TAG", arity = "0..*", description = "tag ids to refresh (default: all)")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      LodeConfig config = LodeConfig.load();
      try (Warehouse w = CliWarehouse.open(config)) {
        TagService service = TagService.open(w, config);
        for (TagDefinitionException e : service.catalog().refused()) {
          System.out.println("REFUSED " + e.getMessage());
        }
        TagService.Cycle c;
        try {
          // the model clock (auto: historic data such as the 2011 demo runs as of its newest record)
          java.time.Instant at = service.asOf(asOf == null ? TagService.configuredAsOf(config) : AsOf.parse(asOf));
          try (Progress bar = Progress.steps("tags refresh")) {
            c = service.refresh(at, tags, incremental, false, bar.steps());
            bar.done();
          }
        } catch (IllegalArgumentException e) {
          throw new Lode.UsageException(e.getMessage());
        }
        TagsReport.print(c);
        return c.tags().stream().allMatch(TagService.TagOutcome::ok) ? 0 : 1;
      }
    }
  }

  /** {@code tags explain <person> <tag>}: the evidence behind one person's tag. */
  @Command(name = "explain", mixinStandardHelpOptions = true, description = "Show the evidence behind one person's"
      + " tag value.", footerHeading = "%nExamples:%n", footer = "  bin/lode tags explain p-12345 high_value")
  static final class Explain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PERSON", description = "the person id")
    String person;

    @Parameters(index = "1", paramLabel = "TAG", description = "the tag id")
    String tag;

    @Override
    public Integer call() throws Exception {
      return sql(LodeConfig.load(), TagExplanation.sql(person, tag));
    }
  }

  /** {@code tags quality}: per-tag coverage and drift. */
  @Command(name = "quality", mixinStandardHelpOptions = true, description = "Per-tag quality: coverage, drift,"
      + " freshness (the tag_quality view).", footerHeading = "%nExamples:%n", footer = "  bin/lode tags quality")
  static final class Quality implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return sql(LodeConfig.load(), "SELECT * FROM tag_quality ORDER BY tag_id");
    }
  }

  private static int sql(LodeConfig config, String sql) throws Exception {
    try (Warehouse w = CliWarehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      ResultPrinter.of(SqlFormat.TABLE).print(rs, System.out, 10_000);
    }
    return 0;
  }
}
