package dev.lode.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lode.app.PrivacyAdmin;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.erasure.Erasure;
import dev.lode.warehouse.Warehouse;
import java.io.Console;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lode forget --id <any id of the person>}: erases the person everywhere, after
 * saying what will go and asking (or with {@code --yes}); {@code --dry-run} only says. When a
 * server runs over this data directory the request goes to its {@code POST /admin/forget}
 * (so the server's collector spool and suppression list take part), else it runs here.
 * Prints the erasure record (counts per table, no PII); exits 1 if anything remains or the
 * erasure was not confirmed, 2 for an id that cannot name anyone.
 */
@Command(name = "forget", mixinStandardHelpOptions = true,
    description = {"Erase a person and every id linked to them from every table, add the ids to the suppression"
        + " list so later events are dropped, and record the erasure (counts only, no PII).",
        "First prints what will be erased and asks for 'yes' on the terminal; scripts pass --yes. --dry-run prints"
            + " what would be erased and erases nothing."},
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode forget --id alice@example.com --dry-run", "  bin/lode forget --id alice@example.com",
        "  bin/lode forget --id p-12345 --yes"})
public final class ForgetCommand implements Callable<Integer> {
  @Option(names = "--id", required = true, paramLabel = "ID", description = "any id of the person: person id, user"
      + " id, anonymous id, email, phone or customer number")
  String id;

  @Option(names = {"-y", "--yes"}, description = "erase without asking (for scripts)")
  boolean yes;

  @Option(names = "--dry-run", description = "print what would be erased; erase nothing")
  boolean dryRun;

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (yes && dryRun) {
      throw new Lode.UsageException("--yes and --dry-run contradict each other");
    }
    LodeConfig config = LodeConfig.load();
    Optional<Properties> running = RunFile.read(config);
    if (!yes) {
      Optional<Erasure.Preview> preview = preview(config, running);
      if (preview.isEmpty()) {
        return 2;
      }
      System.out.print(describe(preview.get()));
      if (dryRun) {
        System.out.println("(dry run: nothing erased)");
        return 0;
      }
      Console console = System.console();
      if (console == null || !console.isTerminal()) {
        throw new Lode.UsageException("refusing to erase without confirmation: run it in a terminal to confirm, or"
            + " add --yes");
      }
      String answer = console.readLine("Erase all of this for good? Type yes to go on: ");
      if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
        System.out.println("nothing erased");
        return 1;
      }
    }
    return erase(config, running);
  }

  private Optional<Erasure.Preview> preview(LodeConfig config, Optional<Properties> running) throws Exception {
    if (running.isPresent()) {
      HttpResponse<String> r = post(config, running.get(), true);
      if (r.statusCode() != 200) {
        System.err.println("error: " + error(r.body()));
        if (r.statusCode() == 400) {
          return Optional.empty();
        }
        throw new IllegalStateException("the server answered " + r.statusCode());
      }
      return Optional.of(json.readValue(r.body(), Erasure.Preview.class));
    }
    try (Warehouse w = Warehouse.open(config)) {
      return Optional.of(PrivacyAdmin.erasure(config, w).preview(id));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return Optional.empty();
    }
  }

  private int erase(LodeConfig config, Optional<Properties> running) throws Exception {
    ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (running.isPresent()) {
      HttpResponse<String> r = post(config, running.get(), false);
      System.out.println(r.body());
      return r.statusCode() == 200 ? 0 : r.statusCode() == 400 ? 2 : 1;
    }
    try (Warehouse w = Warehouse.open(config)) {
      Erasure.Report r = PrivacyAdmin.erasure(config, w).forget(id, "cli");
      System.out.println(pretty.writeValueAsString(r));
      return r.complete() ? 0 : 1;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
  }

  /** What a preview says, with counts only (the id itself is not repeated). */
  static String describe(Erasure.Preview p) {
    StringBuilder b = new StringBuilder();
    if (p.persons() == 0 && p.rows().isEmpty()) {
      b.append("no person and no row holds this id; erasing it only adds it to the suppression list\n");
      return b.toString();
    }
    b.append(String.format("will erase %d %s and %d linked %s:%n", p.persons(), p.persons() == 1 ? "person" : "persons",
        p.ids(), p.ids() == 1 ? "id" : "ids"));
    int width = p.rows().keySet().stream().mapToInt(String::length).max().orElse(0);
    p.rows().forEach((table, n) -> b.append(String.format("  %-" + width + "s %,10d rows%n", table, n)));
    b.append("and add the ids to the suppression list (events for them are dropped from now on)\n");
    return b.toString();
  }

  private HttpResponse<String> post(LodeConfig config, Properties server, boolean preview) throws Exception {
    Credentials.User admin = Credentials.load(config).users().values().stream()
        .filter(u -> u.role() == Credentials.Role.ADMIN).findFirst()
        .orElseThrow(() -> new IllegalStateException("no admin user in the credentials file"));
    String auth = Base64.getEncoder().encodeToString((admin.name() + ":" + admin.password())
        .getBytes(StandardCharsets.UTF_8));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    if (preview) {
      body.put("dryRun", true);
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.getProperty("url") + "/admin/forget"))
        .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
  }

  private String error(String body) {
    try {
      JsonNode n = json.readTree(body);
      return n.has("error") ? n.get("error").asText() : body;
    } catch (Exception e) {
      return body;
    }
  }
}
