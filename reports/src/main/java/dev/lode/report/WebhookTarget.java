package dev.lode.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts a run to a webhook as a Slack-compatible message ({@code text} plus {@code blocks}: the headline
 * figures and a link to the report). The URL's path and query often hold the secret (Slack's
 * {@code /services/T…/B…/…}), so only its scheme and host are ever logged or recorded.
 */
public record WebhookTarget(URI url, Duration timeout) implements DeliveryTarget {
  private static final ObjectMapper JSON = new ObjectMapper();

  public WebhookTarget {
    if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
      throw new IllegalArgumentException("a report webhook must be an http(s) URL, got scheme '" + url.getScheme() + "'");
    }
  }

  @Override
  public String channel() {
    return "webhook";
  }

  @Override
  public String describe() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
  }

  @Override
  public String redact(String message) {
    String m = message.replace(url.toString(), describe());
    return url.getRawPath() == null || url.getRawPath().length() < 2 ? m : m.replace(url.getRawPath(), "/…");
  }

  @Override
  public void send(ReportMessage m) throws Exception {
    String body = JSON.writeValueAsString(payload(m));
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(timeout)
              .header("Content-Type", "application/json; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        String reason = r.body() == null ? "" : r.body().strip();
        throw new java.io.IOException(describe() + " answered HTTP " + r.statusCode()
            + (reason.isEmpty() ? "" : ": " + reason.substring(0, Math.min(200, reason.length()))));
      }
    }
  }

  /** The Slack message: a plain {@code text} fallback, then a header, the figures and the link as blocks. */
  static Map<String, Object> payload(ReportMessage m) {
    List<Object> blocks = new ArrayList<>();
    blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", m.subject())));
    if (!m.figureLines().isEmpty()) {
      blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn",
          "text", String.join("\n", m.figureLines().stream().map(l -> "• " + l).toList()))));
    }
    m.link().ifPresent(link -> blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn",
        "text", "<" + link + "|Open the report>"))));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("text", m.subject() + (m.figureLines().isEmpty() ? "" : ": " + String.join("; ", m.figureLines()))
        + m.link().map(l -> " " + l).orElse(""));
    out.put("blocks", blocks);
    return out;
  }
}
