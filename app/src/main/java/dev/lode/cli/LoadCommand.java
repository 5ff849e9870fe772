package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.recommend.PersonalizationStatus;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.LoadSummary;
import dev.lode.load.MappingSpec;
import dev.lode.recommend.RecommendSettings;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lode load <kind> <file|dir>}: loads CSV, TSV or JSON-lines files (gzip or plain)
 * into a silo table, shows progress on a terminal and a summary per file, then resolves identities.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load CSV, TSV or JSON-lines files (plain or .gz) into a silo table, print a summary per file,"
        + " then resolve identities. A file already loaded (same content) is skipped unless --force.",
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode load orders ../shared/data/online-retail/online-retail.csv.gz --mapping online-retail",
        "  bin/lode load events clicks/ --mapping clickstream --source web",
        "  bin/lode load tickets export.tsv --mapping my-mapping.yaml --no-resolve"})
final class LoadCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KIND", description = "events, orders, order_lines, tickets, campaigns,"
      + " campaign_sends, campaign_responses, items, persons or identities")
  String kind;

  @Parameters(index = "1", paramLabel = "FILE|DIR", description = "a file, or a directory whose .csv, .tsv, .jsonl"
      + " files (plain or .gz) are loaded in name order")
  Path target;

  @Option(names = "--mapping", paramLabel = "NAME|FILE", description = "a bundled mapping (online-retail, clickstream,"
      + " ticket-export) or a mapping file; default: the kind's own column names")
  String mapping;

  @Option(names = "--source", paramLabel = "S", description = "the source name recorded with each row")
  String source;

  @Option(names = "--force", description = "load a file again even if it was loaded before")
  boolean force;

  @Option(names = "--no-resolve", description = "skip identity resolution after loading")
  boolean noResolve;

  @Override
  public Integer call() throws Exception {
    LoadKind loadKind;
    MappingSpec spec;
    try {
      loadKind = LoadKind.of(kind);
      spec = mapping == null ? MappingSpec.defaultFor(loadKind) : MappingSpec.resolve(mapping);
    } catch (IllegalArgumentException e) {
      throw new Lode.UsageException(e.getMessage());
    }
    List<Path> files = files(target);
    LodeConfig config = LodeConfig.load();
    try (Warehouse w = CliWarehouse.open(config)) {
      BatchLoader loader = new BatchLoader(w);
      for (Path f : files) {
        LoadSummary s;
        try (Progress bar = Progress.start("load " + f.getFileName(), LineCount.records(f), "records")) {
          s = loader.load(f, loadKind, spec, new BatchLoader.Options(source, force, (read, secs) -> bar.stepTo(read)));
          // the line count was an estimate: the bar ends at the records read (a file loaded before: nothing to do)
          long done = s.alreadyLoaded() ? 0 : s.read();
          bar.total(Math.max(1, done));
          bar.stepTo(Math.max(1, done));
        }
        System.out.print(s.toText());
      }
      if (!noResolve) {
        System.out.println(ResolveCommand.resolve(w, config).toText());
        System.out.println(PersonalizationStatus.read(w, RecommendSettings.from(config)).toText());
      }
    }
    return 0;
  }

  private static List<Path> files(Path target) throws Exception {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString()
            .matches("(?i).*\\.(csv|tsv|tab|jsonl|ndjson|json)(\\.gz)?$")).sorted().forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new Lode.UsageException(target.toAbsolutePath() + " holds no .csv, .tsv, .jsonl files (plain or .gz)");
      }
    } else if (Files.isRegularFile(target)) {
      files.add(target);
    } else {
      throw new Lode.UsageException(target.toAbsolutePath() + " is not a file or directory");
    }
    return files;
  }
}
