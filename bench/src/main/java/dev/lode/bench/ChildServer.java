package dev.lode.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lode serve} in a child JVM over a scratch home — the same main class and class path
 * as {@code bin/lode serve}, with its own heap (and a GC log, so a benchmark can read the
 * heap's high-water mark) — with an admin, an analyst, a viewer and a write key, so a
 * benchmark can attack it over real sockets without sharing its heap or threads.
 */
final class ChildServer implements AutoCloseable {
  /** {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause) 312M->48M(1024M) 9.1ms}: before, after, committed. */
  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  final String adminPassword;
  final String analystPassword;
  final String viewerPassword;
  final String writeKey;
  private final Path home;
  private final Path gcLog;
  private final Process process;
  private final String url;
  private final String warehouseUrl;

  private ChildServer(Path home, List<String> secrets, Path gcLog, Process process, String url, String warehouseUrl) {
    this.home = home;
    this.adminPassword = secrets.get(0);
    this.analystPassword = secrets.get(1);
    this.viewerPassword = secrets.get(2);
    this.writeKey = secrets.get(3);
    this.gcLog = gcLog;
    this.process = process;
    this.url = url;
    this.warehouseUrl = warehouseUrl;
  }

  /** Starts a server over {@code home}/data with heap {@code heap} (e.g. {@code 1g}); returns once it answers. */
  static ChildServer start(Path home, String heap, Map<String, String> settings) throws Exception {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    List<String> secrets = List.of(secret(), secret(), secret(), secret());
    Files.writeString(data.resolve("credentials.properties"), "user.admin.password=" + secrets.get(0)
        + "\nuser.admin.role=admin\nuser.analyst.password=" + secrets.get(1) + "\nuser.analyst.role=analyst\n"
        + "user.viewer.password=" + secrets.get(2) + "\nuser.viewer.role=viewer\nwritekey." + secrets.get(3)
        + "=web\n");
    Path gcLog = home.resolve("gc.log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx" + heap,
        "-Xlog:gc:file=" + gcLog, "-Dlode.http.port=0", "-Dlode.data.dir=" + data,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.lode.cli.Lode", "serve"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()));
    pb.environment().put("LODE_HOME", home.toString());
    Process process = pb.start();
    Path run = data.resolve("run").resolve("server.properties");
    long deadline = System.currentTimeMillis() + 300_000;
    while (!Files.exists(run)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start:\n" + Files.readString(home.resolve("server.log")));
      }
      Thread.sleep(100);
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(run)) {
      p.load(in);
    }
    return new ChildServer(home, secrets, gcLog, process, p.getProperty("url"), p.getProperty("warehouse.url"));
  }

  private static String secret() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  String url() {
    return url;
  }

  URI uri() {
    return URI.create(url);
  }

  Path dataDir() {
    return home.resolve("data");
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** An avatica-core JDBC connection (protobuf over HTTP, Basic authentication), as a BI tool opens it. */
  Connection sql(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return DriverManager.getConnection("jdbc:avatica:remote:url=" + url + "/avatica;serialization=protobuf", p);
  }

  /** A clickhouse-jdbc connection to the server's embedded warehouse (the independent answers). */
  Connection warehouse() throws SQLException, IOException {
    Properties p = new Properties();
    p.setProperty("user", "lode");
    p.setProperty("password", Files.readString(dataDir().resolve("engine.password")).strip());
    p.setProperty("database", "lode");
    p.setProperty("compress", "false");
    return DriverManager.getConnection(warehouseUrl, p);
  }

  /** The single number a query on the warehouse answers. */
  long count(String sql) throws SQLException, IOException {
    try (Connection c = warehouse(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How far the GC log has been written: a mark for {@link #heapPeakSince}. */
  long gcMark() throws IOException {
    return Files.exists(gcLog) ? Files.size(gcLog) : 0;
  }

  /**
   * The largest heap occupancy the collections after {@code mark} found before they ran (garbage
   * included: the collector lets the heap fill before it collects) and after (what survived, the
   * held data's high-water mark), in MB; -1 each if none ran.
   */
  HeapPeak heapPeakSince(long mark) throws IOException {
    if (!Files.exists(gcLog)) {
      return new HeapPeak(-1, -1);
    }
    byte[] all = Files.readAllBytes(gcLog);
    String tail = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
        StandardCharsets.UTF_8);
    long before = -1;
    long after = -1;
    Matcher m = GC_LINE.matcher(tail);
    while (m.find()) {
      before = Math.max(before, Long.parseLong(m.group(1)));
      after = Math.max(after, Long.parseLong(m.group(2)));
    }
    return new HeapPeak(before, after);
  }

  /** The heap's high-water marks of a phase, in MB (-1: no collection ran). */
  record HeapPeak(long beforeMb, long afterMb) {
    @Override
    public String toString() {
      return beforeMb < 0 ? "—" : beforeMb + "/" + afterMb;
    }
  }

  /** Whether the server's log mentions an {@code OutOfMemoryError}. */
  boolean ranOutOfMemory() throws IOException {
    return Files.readString(home.resolve("server.log")).contains("OutOfMemoryError");
  }

  /** SIGTERM, then SIGKILL after 60 s. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
