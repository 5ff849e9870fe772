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
import java.util.List;

/**
 * {@code bin/lode profiles refresh [--incremental] [--as-of auto|now|latest-event|T] | show <person>}:
 * recompute profiles as of the model clock, or print one.
 */
final class ProfilesCommand implements Command {
  @Override
  public String name() {
    return "profiles";
  }

  @Override
  public String summary() {
    return "profiles refresh [--incremental] [--as-of auto|now|latest-event|T] | show <person>";
  }

  @Override
  public int run(List<String> args) throws Exception {
    LodeConfig config = LodeConfig.load();
    if (!args.isEmpty() && args.get(0).equals("refresh")) {
      boolean incremental = false;
      String asOf = null; // the configured clock (lode.model.as-of) unless --as-of names one
      for (int i = 1; i < args.size(); i++) {
        if (args.get(i).equals("--incremental")) {
          incremental = true;
        } else if (args.get(i).equals("--as-of") && i + 1 < args.size()) {
          asOf = args.get(++i);
        } else {
          throw new Lode.UsageException("refresh takes --incremental and --as-of auto|now|latest-event|T, got "
              + args.get(i));
        }
      }
      try (Warehouse w = CliWarehouse.open(config)) {
        Instant at;
        try {
          at = (asOf == null ? TagService.configuredAsOf(config) : AsOf.parse(asOf)).instantIn(w);
        } catch (IllegalArgumentException e) {
          throw new Lode.UsageException(e.getMessage());
        }
        ProfileRefresher r = new ProfileRefresher(w, ProfileSettings.from(config));
        ProfileRefresher.Result res = incremental ? r.refreshChanged(at) : r.refreshAll(at);
        System.out.printf("profiles %s as of %s: %,d persons in %,d ms%n", res.mode(), res.asOf(), res.persons(),
            res.millis());
      }
      return 0;
    }
    if (args.size() == 2 && args.get(0).equals("show")) {
      try (Warehouse w = CliWarehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT * FROM profiles WHERE person_id = " + SqlLiteral.string(args.get(1)))) {
        if (!rs.next()) {
          System.err.println("no profile for person '" + args.get(1) + "' (run bin/lode profiles refresh?)");
          return 1;
        }
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          System.out.printf("%-28s %s%n", rs.getMetaData().getColumnLabel(i), rs.getString(i));
        }
      }
      return 0;
    }
    throw new Lode.UsageException("expects refresh [--incremental] [--as-of T] or show <person>");
  }
}
