package dev.lode.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lode.app.PrivacyAdmin;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.erasure.Erasure;
import dev.lode.warehouse.Warehouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code bin/lode forget <any id of the person>}: erases the person everywhere. When a server
 * runs over this data directory the request goes to its {@code POST /admin/forget} (so the
 * server's collector spool and suppression list take part), else the erasure runs here.
 * Prints the erasure record (counts per table, no PII); exits 1 if anything remains, 2 for an
 * id that cannot name anyone.
 */
public final class ForgetCommand implements Command {
  @Override
  public String name() {
    return "forget";
  }

  @Override
  public String summary() {
    return "erase a person and every linked id everywhere: bin/lode forget <person id, user id, email, ...>";
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (args.size() != 1 || args.get(0).isBlank()) {
      throw new Lode.UsageException("expects one id of the person, e.g. bin/lode forget alice@example.com");
    }
    LodeConfig config = LodeConfig.load();
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Optional<Properties> running = SqlCommand.runningServer(config);
    if (running.isPresent()) {
      Credentials.User admin = Credentials.load(config).users().values().stream()
          .filter(u -> u.role() == Credentials.Role.ADMIN).findFirst()
          .orElseThrow(() -> new IllegalStateException("no admin user in the credentials file"));
      String auth = Base64.getEncoder().encodeToString((admin.name() + ":" + admin.password())
          .getBytes(StandardCharsets.UTF_8));
      HttpRequest req = HttpRequest.newBuilder(URI.create(running.get().getProperty("url") + "/admin/forget"))
          .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("id", args.get(0))))).build();
      HttpResponse<String> r;
      try (HttpClient http = HttpClient.newHttpClient()) {
        r = http.send(req, HttpResponse.BodyHandlers.ofString());
      }
      System.out.println(r.body());
      return r.statusCode() == 200 ? 0 : r.statusCode() == 400 ? 2 : 1;
    }
    try (Warehouse w = Warehouse.open(config)) {
      Erasure.Report r = PrivacyAdmin.erasure(config, w).forget(args.get(0), "cli");
      System.out.println(json.writeValueAsString(r));
      return r.complete() ? 0 : 1;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
  }
}
