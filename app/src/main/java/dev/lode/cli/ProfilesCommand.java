package dev.lode.cli;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.tags.TagService;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/lode profiles refresh [--incremental] | show <person>}: recompute profiles, or print one. */
@Command(name = "profiles", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(refresh | show)",
    description = "Customer profiles: recompute them, or print one person's.",
    subcommands = {ProfilesCommand.Refresh.class, ProfilesCommand.Show.class},
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode profiles refresh", "  bin/lode profiles refresh --incremental",
        "  bin/lode profiles show p-12345"})
final class ProfilesCommand extends CommandGroup {
  @Override
  String expects() {
    return "refresh or show <person>";
  }

  /** {@code profiles refresh}: recomputes every profile, or only the changed persons'. */
  @Command(name = "refresh", mixinStandardHelpOptions = true, description = "Recompute profiles from the events,"
      + " orders and other silos.", footerHeading = "%nExamples:%n",
      footer = {"  bin/lode profiles refresh", "  bin/lode profiles refresh --incremental",
          "  bin/lode profiles refresh --as-of 2011-12-10T00:00:00Z"})
  static final class Refresh implements Callable<Integer> {
    @Option(names = "--incremental", description = "only the persons with input since the last refresh")
    boolean incremental;

    @Option(names = "--as-of", paramLabel = "auto|now|latest-event|T", description = "the instant recency and windows"
        + " are measured from (default: the model clock, lode.model.as-of, auto unless set)")
    String asOf;

    @Override
    public Integer call() throws Exception {
      LodeConfig config = LodeConfig.load();
      try (Warehouse w = CliWarehouse.open(config)) {
        Instant at;
        try {
          at = (asOf == null ? TagService.configuredAsOf(config) : AsOf.parse(asOf)).instantIn(w);
        } catch (IllegalArgumentException e) {
          throw new Lode.UsageException(e.getMessage());
        }
        ProfileRefresher r = new ProfileRefresher(w, ProfileSettings.from(config));
        ProfileRefresher.Result res;
        try (Progress bar = Progress.steps("profiles refresh")) {
          res = incremental ? r.refreshChanged(at, bar.steps()) : r.refreshAll(at, bar.steps());
          bar.done();
        }
        System.out.printf("profiles %s as of %s: %,d persons in %,d ms%n", res.mode(), res.asOf(), res.persons(),
            res.millis());
      }
      return 0;
    }
  }

  /** {@code profiles show <person>}: prints one profile, a column per line. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one person's profile, a column per"
      + " line; exits 1 when the person has none.", footerHeading = "%nExamples:%n",
      footer = "  bin/lode profiles show p-12345")
  static final class Show implements Callable<Integer> {
    @Parameters(paramLabel = "PERSON", description = "the person id")
    String person;

    @Override
    public Integer call() throws Exception {
      LodeConfig config = LodeConfig.load();
      try (Warehouse w = CliWarehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT * FROM profiles WHERE person_id = " + SqlLiteral.string(person))) {
        if (!rs.next()) {
          System.err.println("no profile for person '" + person + "' (run bin/lode profiles refresh?)");
          return 1;
        }
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          System.out.printf("%-28s %s%n", rs.getMetaData().getColumnLabel(i), rs.getString(i));
        }
      }
      return 0;
    }
  }
}
