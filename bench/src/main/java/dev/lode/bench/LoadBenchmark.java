package dev.lode.bench;

import dev.lode.config.LodeConfig;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.LoadProgress;
import dev.lode.load.LoadSummary;
import dev.lode.load.MappingSpec;
import dev.lode.app.DemoDataset;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/lode bench load [file] [repeats]}: records/s of loading the Online Retail file
 * (the {@code lode.demo.online-retail} file, or the file given) with the online-retail
 * mapping into a fresh warehouse, each run end to end (decompress, parse, map, validate,
 * stream RowBinary, derived orders and items, quarantine); next to a dry run of the same
 * file (everything but the warehouse) in the same process, as a ratio. Every run checks
 * that loaded + quarantined + duplicates = records read = rows in order_lines.
 */
public final class LoadBenchmark implements Benchmark {
  @Override
  public String name() {
    return "load";
  }

  @Override
  public String summary() {
    return "records/s loading the Online Retail CSV (or a given file) with the online-retail mapping";
  }

  @Override
  public void run(List<String> args) throws Exception {
    LodeConfig base = LodeConfig.load();
    Path file;
    if (!args.isEmpty()) {
      file = Path.of(args.get(0));
    } else {
      Optional<Path> p = DemoDataset.onlineRetail(base);
      if (p.isEmpty()) {
        throw new IllegalArgumentException("no Online Retail file at " + base.getPath("lode.demo.online-retail",
            DemoDataset.DEFAULT_ONLINE_RETAIL) + "; pass a file: bin/lode bench load FILE");
      }
      file = p.get();
    }
    int repeats = args.size() < 2 ? 5 : Integer.parseInt(args.get(1));
    Path dir = null;
    LodeConfig config = base;
    if (base.get("lode.warehouse.url").isEmpty()) {
      dir = Files.createTempDirectory("lode-bench-load-");
      config = base.with("lode.data.dir", dir.toString());
    }
    MappingSpec spec = MappingSpec.resolve("online-retail");
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement()) {
      BatchLoader loader = new BatchLoader(w);
      System.out.printf("bench load: %s (%,d bytes), mapping online-retail, %d runs each, warehouse %s, %d cores%n",
          file.getFileName(), Files.size(file), repeats,
          w.embedded() ? "embedded ClickHouse " + w.engine().orElseThrow().version() : w.jdbcUrl(),
          Runtime.getRuntime().availableProcessors());
      double[] full = new double[repeats];
      double[] dry = new double[repeats];
      double[] perCpu = new double[repeats];
      LoadSummary last = null;
      for (int r = 0; r < repeats; r++) {
        LoadSummary d = loader.load(file, LoadKind.ORDERS, spec, new BatchLoader.Options(null, true, LoadProgress.NONE,
            true));
        dry[r] = d.rowsPerSecond();
        st.execute("TRUNCATE TABLE order_lines");
        st.execute("TRUNCATE TABLE orders");
        st.execute("TRUNCATE TABLE items");
        st.execute("TRUNCATE TABLE quarantine");
        long cpu0 = ProcessCpu.nanos();
        LoadSummary s = loader.load(file, LoadKind.ORDERS, spec, new BatchLoader.Options(null, true, LoadProgress.NONE));
        full[r] = s.rowsPerSecond();
        perCpu[r] = s.read() / ((ProcessCpu.nanos() - cpu0) / 1e9);
        long rows;
        try (ResultSet rs = st.executeQuery("SELECT count() FROM order_lines")) {
          rs.next();
          rows = rs.getLong(1);
        }
        if (s.loaded() + s.quarantinedTotal() + s.duplicates() != s.read() || rows != s.loaded()) {
          throw new IllegalStateException("accounting failed: " + s.toText() + " order_lines rows " + rows);
        }
        System.out.printf("  run %d: load %.2f s = %,.0f records/s (%,.0f per CPU-second of the process, engine"
            + " included); dry run %,.0f records/s; load average %.1f%n", r + 1, s.seconds(), full[r], perCpu[r], dry[r],
            ProcessCpu.loadAverage());
        last = s;
      }
      System.out.print(last.toText().indent(2));
      double f = InsertBenchmark.median(full);
      double d = InsertBenchmark.median(dry);
      System.out.printf("  load (end to end)      %,12.0f records/s   (median of %d)%n", f, repeats);
      System.out.printf("  dry run (no warehouse) %,12.0f records/s   (median of %d)%n", d, repeats);
      System.out.printf("  ratio load / dry run   %12.2f%n", f / d);
      System.out.printf("  records per CPU-second %,12.0f   (median; wall-clock rates fall when other processes"
          + " share the cores)%n", InsertBenchmark.median(perCpu));
      System.out.printf("  target >= 300,000 records/s: %s%n", f >= 300_000 ? "met" : "NOT met");
    } finally {
      if (dir != null) {
        InsertBenchmark.deleteTree(dir);
      }
    }
  }
}
