package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/** {@code bin/lode profiles refresh [--incremental] | show <person>}: recompute profiles, or print one. */
final class ProfilesCommand implements Command {
  @Override
  public String name() {
    return "profiles";
  }

  @Override
  public String summary() {
    return "profiles refresh [--incremental] | show <person>";
  }

  @Override
  public int run(List<String> args) throws Exception {
    LodeConfig config = LodeConfig.load();
    if (args.size() >= 1 && args.get(0).equals("refresh") && args.size() <= 2) {
      boolean incremental = args.size() == 2 && args.get(1).equals("--incremental");
      if (args.size() == 2 && !incremental) {
        throw new Lode.UsageException("refresh takes only --incremental");
      }
      try (Warehouse w = WarehouseAccess.open(config)) {
        ProfileRefresher r = new ProfileRefresher(w, ProfileSettings.from(config));
        ProfileRefresher.Result res = incremental ? r.refreshChanged(Instant.now()) : r.refreshAll(Instant.now());
        System.out.printf("profiles %s: %,d persons in %,d ms%n", res.mode(), res.persons(), res.millis());
      }
      return 0;
    }
    if (args.size() == 2 && args.get(0).equals("show")) {
      try (Warehouse w = WarehouseAccess.open(config); Connection c = w.connect(); Statement st = c.createStatement();
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
    throw new Lode.UsageException("expects refresh [--incremental] or show <person>");
  }
}
