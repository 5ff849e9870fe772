package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import dev.lode.recommend.PersonalizationStatus;
import dev.lode.recommend.RecommendSettings;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.LoadProgress;
import dev.lode.load.LoadSummary;
import dev.lode.load.MappingSpec;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/lode load <kind> <file|dir> [--mapping NAME|FILE] [--source NAME] [--force]
 * [--no-resolve]}: loads CSV, TSV or JSON-lines files (gzip or plain) into a silo table,
 * prints progress on a terminal and a summary per file, then resolves identities.
 */
final class LoadCommand implements Command {
  @Override
  public String name() {
    return "load";
  }

  @Override
  public String summary() {
    return "load files: bin/lode load <events|orders|tickets|campaigns|campaign_sends|campaign_responses|items|persons"
        + "|identities> <file|dir> [--mapping online-retail|clickstream|ticket-export|FILE] [--source S] [--force]";
  }

  @Override
  public int run(List<String> args) throws Exception {
    List<String> pos = new ArrayList<>();
    String mapping = null;
    String source = null;
    boolean force = false;
    boolean resolve = true;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--mapping" -> mapping = value(args, ++i, a);
        case "--source" -> source = value(args, ++i, a);
        case "--force" -> force = true;
        case "--no-resolve" -> resolve = false;
        default -> {
          if (a.startsWith("--")) {
            throw new Lode.UsageException("unknown option " + a);
          }
          pos.add(a);
        }
      }
    }
    if (pos.size() != 2) {
      throw new Lode.UsageException("expects a kind and a file or directory: " + summary().substring(12));
    }
    LoadKind kind;
    MappingSpec spec;
    try {
      kind = LoadKind.of(pos.get(0));
      spec = mapping == null ? MappingSpec.defaultFor(kind) : MappingSpec.resolve(mapping);
    } catch (IllegalArgumentException e) {
      throw new Lode.UsageException(e.getMessage());
    }
    Path target = Path.of(pos.get(1));
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString()
            .matches("(?i).*\\.(csv|tsv|tab|jsonl|ndjson|json)(\\.gz)?$")).sorted().forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new Lode.UsageException(target + " holds no .csv, .tsv, .jsonl files (plain or .gz)");
      }
    } else if (Files.isRegularFile(target)) {
      files.add(target);
    } else {
      throw new Lode.UsageException(target + " is not a file or directory");
    }
    LodeConfig config = LodeConfig.load();
    try (Warehouse w = CliWarehouse.open(config)) {
      BatchLoader loader = new BatchLoader(w);
      for (Path f : files) {
        LoadProgress progress = CliWarehouse.interactive() ? (read, secs) -> System.err.printf(
            "\r  %s  %,d records  %,.0f records/s   ", f.getFileName(), read, secs > 0 ? read / secs : 0) : LoadProgress.NONE;
        LoadSummary s = loader.load(f, kind, spec, new BatchLoader.Options(source, force, progress));
        if (CliWarehouse.interactive()) {
          System.err.print("\r" + " ".repeat(80) + "\r");
        }
        System.out.print(s.toText());
      }
      if (resolve) {
        System.out.println(new IdentityResolver(w, config).resolve().toText());
        System.out.println(PersonalizationStatus.read(w, RecommendSettings.from(config)).toText());
      }
    }
    return 0;
  }

  static String value(List<String> args, int i, String option) throws Lode.UsageException {
    if (i >= args.size()) {
      throw new Lode.UsageException(option + " needs a value");
    }
    return args.get(i);
  }
}
