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

/**
 * {@code bin/lode tags list | refresh [--incremental] [--as-of auto|now|latest-event|T] [tag …] | explain <person> <tag> | quality}:
 * the tag catalog (with refused definitions and why), a refresh cycle with its timings,
 * one person's evidence for a tag, and per-tag quality.
 */
final class TagsCommand implements Command {
  @Override
  public String name() {
    return "tags";
  }

  @Override
  public String summary() {
    return "tags list | refresh [--incremental] [--as-of auto|now|latest-event|T] [tag ...] | explain <person> <tag> | quality";
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new Lode.UsageException("expects list, refresh, explain <person> <tag> or quality");
    }
    LodeConfig config = LodeConfig.load();
    return switch (args.get(0)) {
      case "list" -> list(config);
      case "refresh" -> refresh(config, args.subList(1, args.size()));
      case "explain" -> {
        if (args.size() != 3) {
          throw new Lode.UsageException("explain expects <person> <tag>, e.g. bin/lode tags explain p42 interest");
        }
        yield sql(config, TagExplanation.sql(args.get(1), args.get(2)));
      }
      case "quality" -> sql(config, "SELECT * FROM tag_quality ORDER BY tag_id");
      default -> throw new Lode.UsageException("unknown subcommand '" + args.get(0) + "'; expects list, refresh,"
          + " explain or quality");
    };
  }

  private static int list(LodeConfig config) throws Exception {
    TagCatalog catalog = TagCatalog.load(config);
    System.out.printf("%-26s %3s %-9s %-11s %-8s %5s  %s%n", "tag", "ver", "kind", "category", "refresh", "ttl", "name");
    for (TagDefinition d : catalog.definitions()) {
      System.out.printf("%-26s %3d %-9s %-11s %-8s %4dd  %s%n", d.id(), d.version(), d.kind().label(), d.category(),
          d.refreshText(), d.ttlDays(), d.name());
    }
    for (TagDefinitionException e : catalog.refused()) {
      System.out.println("REFUSED " + e.getMessage());
    }
    return catalog.refused().isEmpty() ? 0 : 1;
  }

  private static int refresh(LodeConfig config, List<String> args) throws Exception {
    boolean incremental = false;
    String asOf = null; // the configured clock unless --as-of names one
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--incremental")) {
        incremental = true;
      } else if (a.equals("--as-of") && i + 1 < args.size()) {
        asOf = args.get(++i);
      } else if (a.startsWith("--")) {
        throw new Lode.UsageException("unknown option " + a);
      } else {
        tags.add(a);
      }
    }
    try (Warehouse w = CliWarehouse.open(config)) {
      TagService service = TagService.open(w, config);
      for (TagDefinitionException e : service.catalog().refused()) {
        System.out.println("REFUSED " + e.getMessage());
      }
      TagService.Cycle c;
      try {
        c = service.refresh(service.asOf(asOf == null ? TagService.configuredAsOf(config) : AsOf.parse(asOf)), tags,
            incremental, false);
      } catch (IllegalArgumentException e) {
        throw new Lode.UsageException(e.getMessage());
      }
      TagsReport.print(c);
      return c.tags().stream().allMatch(TagService.TagOutcome::ok) ? 0 : 1;
    }
  }

  private static int sql(LodeConfig config, String sql) throws Exception {
    try (Warehouse w = CliWarehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      TablePrinter.print(rs, System.out, 10_000);
    }
    return 0;
  }
}
