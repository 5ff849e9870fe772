package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The {@code lode} command line run as a user runs it — a separate JVM per command, with
 * its own {@code LODE_HOME} — for tests that drive the CLI from outside the process.
 */
public final class LodeCli {
  /** A log line of the one backend: timestamp, thread, level. */
  static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* \\[[^\\]]*\\] (TRACE|DEBUG|INFO|WARN|ERROR) ");
  private final Path home;
  private final List<String> jvmOptions;

  public LodeCli(Path home) {
    this(home, List.of());
  }

  /** A command line whose JVMs also get {@code jvmOptions} (later {@code -D}s win over the defaults). */
  public LodeCli(Path home, List<String> jvmOptions) {
    this.home = home;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** What one command printed (engine and driver log lines dropped) and its exit code. */
  public record Result(int code, String out) {
  }

  /** Runs one command to its end. */
  public Result run(String... args) throws Exception {
    return finish(command(args).redirectErrorStream(true).start());
  }

  /** Runs one command with {@code stdin} on its standard input. */
  public Result runWithInput(String stdin, String... args) throws Exception {
    Process p = command(args).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    return finish(p);
  }

  /**
   * Runs one command through the launcher {@code bin/lode}, from the directory {@code cwd}, on
   * this JVM's class path (so the launcher builds nothing).
   */
  public Result launch(Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().put("LODE_HOME", home.toString());
    pb.environment().put("LODE_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("LODE_JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("LODE_JAVA_OPTS", "-Xmx1g -Dlode.http.port=0 -Dlode.demo.enabled=false");
    // no start-up cache: recording one is a build's business (bin/lode), not each test's first command
    pb.environment().put("LODE_AOT", "off");
    return finish(pb.start());
  }

  /** The checkout's {@code bin/lode} (tests run in a module directory). */
  public static Path launcher() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !java.nio.file.Files.isRegularFile(dir.resolve("bin").resolve("lode"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no bin/lode above " + System.getProperty("user.dir"));
    }
    return dir.resolve("bin").resolve("lode");
  }

  private static Result finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    // keep what the user reads, not log lines (timestamped, one backend)
    StringBuilder kept = new StringBuilder();
    for (String l : out.split("\n", -1)) {
      if (!LOG_LINE.matcher(l).lookingAt()) {
        kept.append(l).append('\n');
      }
    }
    return new Result(p.exitValue(), kept.toString().replaceAll("\n+$", "\n"));
  }

  /** A {@code lode serve} started in the background; closing it stops the server. */
  public static final class Server implements AutoCloseable {
    private final Process process;
    private final List<String> banner;
    private final Path data;

    private Server(Process process, List<String> banner, Path data) {
      this.process = process;
      this.banner = banner;
      this.data = data;
    }

    /** The lines the server printed up to and including the one naming the credentials file. */
    public String banner() {
      return String.join("\n", banner);
    }

    /**
     * Waits until the server's periodic job {@code name} has finished a run, asking {@code GET /status}
     * as the admin of the credentials file (a wait on the condition, not on a guess of its duration);
     * returns the run's outcome.
     */
    public String awaitJobRun(String name, Duration timeout) throws Exception {
      Properties run = runFile();
      String[] admin = admin();
      String auth = "Basic " + Base64.getEncoder().encodeToString((admin[0] + ":" + admin[1])
          .getBytes(StandardCharsets.UTF_8));
      HttpRequest status = HttpRequest.newBuilder(URI.create(run.getProperty("url") + "/status"))
          .header("Authorization", auth).GET().build();
      long deadline = System.nanoTime() + timeout.toNanos();
      try (HttpClient http = HttpClient.newHttpClient()) {
        while (true) {
          HttpResponse<String> r = http.send(status, HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode(), r.body());
          for (JsonNode job : new ObjectMapper().readTree(r.body()).path("jobs")) {
            if (job.path("name").asText().equals(name) && !job.path("lastFinish").isNull()) {
              return job.path("lastOutcome").asText();
            }
          }
          assertTrue(process.isAlive() && System.nanoTime() < deadline, "job " + name + " ran no run: " + r.body());
          Thread.sleep(200);
        }
      }
    }

    /**
     * A JDBC connection to the server's Avatica endpoint as the credentials file's admin, through the
     * Avatica driver as a BI tool (or {@code bin/lode sql}) makes it: Lode SQL.
     */
    public Connection lodeSql() throws IOException, SQLException {
      String[] admin = admin();
      Properties p = new Properties();
      p.setProperty("avatica_user", admin[0]);
      p.setProperty("avatica_password", admin[1]);
      return new org.apache.calcite.avatica.remote.Driver().connect("jdbc:avatica:remote:url="
          + runFile().getProperty("url") + "/avatica;serialization=protobuf;authentication=BASIC", p);
    }

    /**
     * A clickhouse-jdbc connection to the server's embedded warehouse, the one {@code bin/lode sql
     * --native} opens while a server runs: ClickHouse SQL.
     */
    public Connection nativeSql() throws IOException, SQLException {
      Properties p = new Properties();
      p.setProperty("user", "lode");
      p.setProperty("password", Files.readString(data.resolve("engine.password")).trim());
      p.setProperty("database", "lode");
      p.setProperty("compress", "false");
      return new com.clickhouse.jdbc.ClickHouseDriver().connect(runFile().getProperty("warehouse.url"), p);
    }

    private Properties runFile() throws IOException {
      Properties run = new Properties();
      try (var in = Files.newInputStream(data.resolve("run").resolve("server.properties"))) {
        run.load(in);
      }
      return run;
    }

    /** The credentials file's first admin: name, password. */
    private String[] admin() throws IOException {
      Properties credentials = new Properties();
      try (var in = Files.newInputStream(data.resolve("credentials.properties"))) {
        credentials.load(in);
      }
      String admin = credentials.stringPropertyNames().stream()
          .filter(k -> k.startsWith("user.") && k.endsWith(".role") && credentials.getProperty(k).equals("admin"))
          .map(k -> k.substring("user.".length(), k.length() - ".role".length())).findFirst().orElseThrow();
      return new String[] {admin, credentials.getProperty("user." + admin + ".password")};
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code lode serve} and returns once its banner (which ends with the credentials line) is out. */
  public Server serve() throws IOException {
    Process server = command("serve").redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    List<String> banner = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      banner.add(line);
      if (line.contains("credentials")) {
        break;
      }
    }
    // the server keeps logging; a full pipe would block it
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the server was stopped
      }
    });
    drain.setDaemon(true);
    drain.start();
    return new Server(server, banner, home.resolve("data"));
  }

  private ProcessBuilder command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dlode.http.port=0",
        "-Dlode.demo.enabled=false", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.lode.cli.Lode"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LODE_HOME", home.toString());
    return pb;
  }
}
