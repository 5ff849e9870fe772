package dev.lode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.app.DemoDataset;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bin/lode status}: whether a server runs on this data directory, the demo data's state, and its jobs. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Say whether 'bin/lode serve' is running on this data directory, whether the demo data is loading"
        + " or ready, and each periodic job's last and next run; exits 1 when no server is running.",
    footerHeading = "%nExamples:%n", footer = {"  bin/lode status", "  bin/lode status && bin/lode sql \"SELECT 1\""})
final class StatusCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    LodeConfig config = LodeConfig.load();
    Optional<Properties> running = RunFile.read(config);
    String demo = DemoDataset.state(config);
    String demoText = switch (demo) {
      case "loading" -> "loading (since " + DemoDataset.loadingSince(config).orElse("?")
          + DemoDataset.loadingStep(config).map(st -> ", " + st).orElse("") + "); queries meanwhile see part of it";
      case "ready" -> "ready";
      default -> "not loaded";
    };
    if (running.isEmpty()) {
      System.out.println("no server running over " + config.dataDir() + " (start one with bin/lode serve)");
      System.out.println("  demo data     " + demoText);
      return 1;
    }
    Properties p = running.get();
    Credentials.User admin = Credentials.load(config).users().values().stream()
        .filter(u -> u.role() == Credentials.Role.ADMIN).findFirst()
        .orElseThrow(() -> new IllegalStateException("no admin user in the credentials file"));
    String auth = Base64.getEncoder().encodeToString((admin.name() + ":" + admin.password())
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r;
    try (HttpClient http = HttpClient.newHttpClient()) {
      r = http.send(HttpRequest.newBuilder(URI.create(p.getProperty("url") + "/status"))
          .header("Authorization", "Basic " + auth).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
    if (r.statusCode() != 200) {
      throw new IllegalStateException("the server at " + p.getProperty("url") + " answered " + r.statusCode());
    }
    JsonNode s = new ObjectMapper().readTree(r.body());
    System.out.println("Lode " + s.path("version").asText() + " is running (pid " + p.getProperty("pid") + ").");
    System.out.println("  url           " + p.getProperty("url"));
    System.out.println("  warehouse     " + s.path("warehouse").asText() + ", ClickHouse "
        + s.path("clickhouseVersion").asText());
    System.out.println("  demo data     " + demoText);
    for (JsonNode job : s.path("jobs")) {
      System.out.printf("  job %-24s last %s%s, next %s%n", job.path("name").asText(),
          job.path("lastFinish").isNull() ? "never" : job.path("lastFinish").asText(),
          job.path("lastOutcome").isNull() ? "" : " (" + job.path("lastOutcome").asText() + ")",
          job.path("nextRun").isNull() ? "-" : job.path("nextRun").asText());
    }
    for (JsonNode problem : s.path("reportProblems")) {
      String what = problem.path("status").asText().equals("failed") ? "run failed"
          : "delivery " + problem.path("delivery").asText();
      System.out.printf("  report %-21s %s (%s): %s%n", problem.path("report").asText(), what,
          problem.path("startedAt").asText(), problem.path("error").asText());
    }
    return 0;
  }
}
