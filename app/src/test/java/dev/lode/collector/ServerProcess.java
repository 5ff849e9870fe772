package dev.lode.collector;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Lode server ({@code lode serve}) in a child JVM over its own data directory, as a
 * user runs it: the collector tests post to it over real HTTP, read its warehouse over
 * clickhouse-jdbc, and may SIGKILL and restart it. Its own process, because chDB allows
 * one data directory per process.
 */
final class ServerProcess implements AutoCloseable {
  static final String WRITE_KEY = "test-write-key";
  static final String SENSORS_KEY = "test-sensors-key";
  static final String ADMIN_PASSWORD = "test-admin-password";

  private final Path home;
  private final Map<String, String> settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Process process;
  private String url;
  private String warehouseUrl;

  private ServerProcess(Path home, Map<String, String> settings) {
    this.home = home;
    this.settings = settings;
  }

  /** Starts a server over {@code home}/data with a known write key and admin password. */
  static ServerProcess start(Path home, Map<String, String> settings) throws Exception {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    Path creds = data.resolve("credentials.properties");
    if (!Files.exists(creds)) {
      Files.writeString(creds, "user.admin.password=" + ADMIN_PASSWORD + "\nuser.admin.role=admin\n"
          + "writekey." + WRITE_KEY + "=web\nwritekey." + SENSORS_KEY + "=sensors\n");
    }
    ServerProcess s = new ServerProcess(home, settings);
    s.launch();
    return s;
  }

  /** Starts (again) over the same data directory; returns once the server answers. */
  void launch() throws Exception {
    Path run = home.resolve("data").resolve("run").resolve("server.properties");
    Files.deleteIfExists(run);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Dlode.http.port=0",
        "-Dlode.data.dir=" + home.resolve("data"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    // a collector test sends its own events: no 1M-event demo load or model refresh competing with it
    // (they took most of a start-up-to-shutdown run); a test that wants them says so in its settings
    Map<String, String> effective = new LinkedHashMap<>(
        Map.of("lode.demo.enabled", "false", "lode.recommend.refresh-minutes", "0"));
    effective.putAll(settings);
    effective.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.lode.cli.Lode", "serve"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()));
    pb.environment().put("LODE_HOME", home.toString());
    process = pb.start();
    long deadline = System.currentTimeMillis() + 180_000;
    while (!Files.exists(run)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("server did not start:\n" + log());
      }
      Thread.sleep(100);
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(run)) {
      p.load(in);
    }
    url = p.getProperty("url");
    warehouseUrl = p.getProperty("warehouse.url");
  }

  String log() {
    try {
      return Files.readString(home.resolve("server.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  String url() {
    return url;
  }

  /** SIGKILL: no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** An HTTP answer. */
  record Answer(int status, String body, HttpResponse<String> response) {
  }

  Answer post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Answer(r.statusCode(), r.body(), r);
  }

  Answer post(String path, String json) throws IOException, InterruptedException {
    return post(path, json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
        "Authorization", basic(WRITE_KEY, ""));
  }

  Answer get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Answer(r.statusCode(), r.body(), r);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A clickhouse-jdbc connection to the server's embedded warehouse. */
  Connection warehouse() throws SQLException, IOException {
    Properties p = new Properties();
    p.setProperty("user", "lode");
    p.setProperty("password", Files.readString(home.resolve("data").resolve("engine.password")).strip());
    p.setProperty("database", "lode");
    p.setProperty("compress", "false");
    return DriverManager.getConnection(warehouseUrl, p);
  }

  /** The first column of every row of a query on the server's warehouse. */
  List<String> column(String sql) throws SQLException, IOException {
    List<String> out = new ArrayList<>();
    try (Connection c = warehouse(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  long count(String sql) throws SQLException, IOException {
    return Long.parseLong(column(sql).get(0));
  }

  /** Polls a count query until it reaches {@code expected} (or the timeout) and returns the last value. */
  long awaitCount(String sql, long expected, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    long n;
    while ((n = count(sql)) != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    return n;
  }

  /** SIGTERM: the shutdown hook flushes the spool and closes the warehouse. */
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
