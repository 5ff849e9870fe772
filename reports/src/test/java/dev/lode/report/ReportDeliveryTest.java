package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * Scheduled delivery end to end: at 06:00 on a Monday the scheduler runs daily_kpi and weekly_funnel over
 * the fixture data; daily_kpi is mailed through a real SMTP server started here (GreenMail, implicit TLS,
 * login required) with its headline in the HTML body and the PDF Chromium printed attached, and posted to
 * a local webhook that refuses the first try (HTTP 503) and accepts the retry; weekly_funnel's webhook always
 * refuses, so its run ends undelivered. Every attempt is in report_runs and the failure in the status problems;
 * neither the SMTP password nor the webhook's secret path appears anywhere recorded.
 */
class ReportDeliveryTest {
  private static final String PASSWORD = "s3cret-smtp-pass";
  private static final String HOOK_SECRET = "T0001/B0002/hook-secret-token";

  @Test
  void scheduledRunsAreMailedAndPostedWithRetries() throws Exception {
    Warehouse w = TestWarehouse.get();
    ReportFixture.load(w);
    boolean chromium = chromiumPresent();
    ServerSetup smtps = ServerSetupTest.SMTPS.dynamicPort();
    smtps.setServerStartupTimeout(60_000); // a loaded CI machine starts it slower than the 2 s default
    GreenMail smtp = new GreenMail(smtps)
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("reports@lode.test", "reports", PASSWORD));
    smtp.start();
    smtp.getUserManager().setAuthRequired(true);
    HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> posted = new CopyOnWriteArrayList<>();
    AtomicInteger kpiCalls = new AtomicInteger();
    AtomicInteger funnelCalls = new AtomicInteger();
    hooks.createContext("/services/" + HOOK_SECRET, ex -> {
      posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int status = kpiCalls.incrementAndGet() == 1 ? 503 : 200;
      byte[] body = (status == 200 ? "ok" : "busy, try later").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    hooks.createContext("/broken/" + HOOK_SECRET, ex -> {
      funnelCalls.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(500, -1);
      ex.close();
    });
    hooks.start();
    try {
      String base = "http://127.0.0.1:" + hooks.getAddress().getPort();
      Map<String, String> settings = new HashMap<>(Map.of(
          "lode.reports.smtp.host", "127.0.0.1",
          "lode.reports.smtp.port", Integer.toString(smtp.getSmtps().getPort()),
          "lode.reports.smtp.security", "ssl",
          "lode.reports.smtp.trust", "127.0.0.1",
          "lode.reports.smtp.user", "reports",
          "lode.reports.smtp.password", PASSWORD,
          "lode.reports.smtp.from", "reports@lode.test",
          "lode.reports.delivery.daily_kpi.webhook", base + "/services/" + HOOK_SECRET,
          "lode.reports.delivery.weekly_funnel.webhook", base + "/broken/" + HOOK_SECRET,
          "lode.reports.link-base", "https://lode.example.com/reports"));
      settings.put("lode.reports.delivery.daily_kpi.email", "ops@lode.test, cfo@lode.test");
      settings.put("lode.reports.delivery.attempts", "3");
      settings.put("lode.reports.delivery.backoff-ms", "50");
      LodeConfig config = LodeConfig.of(settings);
      ReportCatalog all = ReportCatalog.load(null);
      ReportCatalog catalog = ReportCatalog.of(List.of(all.get("daily_kpi"), all.get("weekly_funnel")));
      MutableClock clock = new MutableClock(Instant.parse("2031-03-10T05:59:59Z"));
      Path out = TestWarehouse.freshDir("delivery-out");
      ReportJob job = new ReportJob(new ReportQuery(w::connect, 120), new ReportRunLog(w::connect), clock, 1,
          Duration.ZERO).withDelivery(ReportDelivery.of(config, catalog, clock));
      ReportScheduler scheduler = new ReportScheduler(catalog, job, ZoneOffset.UTC, out, Duration.ofSeconds(1));
      assertEquals(List.of(), scheduler.tick(), "nothing before 06:00");
      clock.set(Instant.parse("2031-03-10T06:00:00Z"));
      List<ReportRun> runs = scheduler.tick();
      assertEquals(2, runs.size(), runs.toString());
      ReportRun kpi = runs.stream().filter(r -> r.report().equals("daily_kpi")).findFirst().orElseThrow();
      ReportRun funnel = runs.stream().filter(r -> r.report().equals("weekly_funnel")).findFirst().orElseThrow();

      // the mail: one message to both recipients, the headline in the body, the PDF attached
      assertTrue(smtp.waitForIncomingEmail(10_000, 2));
      MimeMessage[] mails = smtp.getReceivedMessages();
      assertEquals(2, mails.length, "one copy per recipient");
      MimeMessage mail = mails[0];
      assertEquals("Daily KPIs · Mon 3 Mar 2031 – Sun 9 Mar 2031", mail.getSubject());
      assertEquals("reports@lode.test", mail.getFrom()[0].toString());
      BigDecimal revenue = nativeRevenue(w);
      String revenueText = ColumnFormat.CURRENCY.format(revenue, Currency.getInstance("GBP"));
      Multipart parts = (Multipart) mail.getContent();
      String html = html((Multipart) parts.getBodyPart(0).getContent());
      assertTrue(html.contains("Revenue") && html.contains(">" + revenueText + "<"),
          "the HTML body shows the week's revenue " + revenueText + " computed natively: " + html);
      assertTrue(html.contains("https://lode.example.com/reports/daily_kpi/latest.html"), "the body links the report");
      if (chromium) {
        assertEquals(2, parts.getCount(), "body and the PDF");
        BodyPart pdf = parts.getBodyPart(1);
        assertEquals("daily_kpi_20310310T060000Z.pdf", pdf.getFileName());
        byte[] bytes = readAll(pdf.getInputStream());
        assertEquals("%PDF-", new String(bytes, 0, 5, StandardCharsets.US_ASCII));
        try (PDDocument doc = Loader.loadPDF(bytes)) {
          assertTrue(doc.getNumberOfPages() >= 1 && doc.getNumberOfPages() <= 4, doc.getNumberOfPages() + " pages");
          String text = new PDFTextStripper().getText(doc);
          assertTrue(text.contains("Daily KPIs") && text.contains(revenueText) && text.contains("Session conversion"),
              "the PDF holds the title, the revenue and the labels: " + text);
        }
      }

      // the webhook: refused once (503), accepted on the retry, Slack's shape
      assertEquals(2, kpiCalls.get(), "one refusal, one retry");
      JsonNode hook = new ObjectMapper().readTree(posted.get(1));
      assertTrue(hook.path("text").asText().startsWith("Daily KPIs · Mon 3 Mar 2031"), hook.toString());
      assertTrue(hook.path("text").asText().contains("Revenue: " + revenueText), hook.toString());
      assertEquals("header", hook.path("blocks").path(0).path("type").asText());
      assertTrue(hook.toString().contains("<https://lode.example.com/reports/daily_kpi/latest.html|Open the report>"));
      assertEquals(3, funnelCalls.get(), "the broken webhook is tried 3 times");

      // report_runs: each attempt, and the outcome
      Map<String, Object> kpiRow = row(w, kpi.runId());
      assertEquals("succeeded", kpiRow.get("status"));
      assertEquals("delivered", kpiRow.get("delivery_status"));
      List<String> attempts = attempts(kpiRow);
      assertEquals(3, attempts.size(), attempts.toString());
      assertTrue(attempts.get(0).contains("email ops@lode.test,cfo@lode.test attempt 1: delivered"), attempts.toString());
      assertTrue(attempts.get(1).contains("webhook " + base + "/… attempt 1: failed:")
          && attempts.get(1).contains("HTTP 503: busy, try later"), attempts.toString());
      assertTrue(attempts.get(2).contains("webhook " + base + "/… attempt 2: delivered"), attempts.toString());
      Map<String, Object> funnelRow = row(w, funnel.runId());
      assertEquals("succeeded", funnelRow.get("status"), "the report ran; only its delivery failed");
      assertEquals("failed", funnelRow.get("delivery_status"));
      assertEquals(3, attempts(funnelRow).size());
      List<ReportRunLog.Problem> problems = new ReportRunLog(w::connect).problems();
      assertTrue(problems.stream().anyMatch(p -> p.report().equals("weekly_funnel") && p.deliveryStatus().equals("failed")
          && p.error().contains("HTTP 500")), problems.toString());
      assertTrue(problems.stream().noneMatch(p -> p.report().equals("daily_kpi")), problems.toString());

      // no secret recorded: not the password, not the webhook's path
      String recorded = kpiRow + " " + funnelRow + " " + problems + " " + runs + " " + SmtpSettings.of(config);
      assertFalse(recorded.contains(PASSWORD), recorded);
      assertFalse(recorded.contains("hook-secret-token"), recorded);
    } finally {
      hooks.stop(0);
      smtp.stop();
    }
  }

  private static boolean chromiumPresent() {
    try {
      Process p = new ProcessBuilder("chromium", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return true;
      }
    } catch (Exception e) {
      // absent
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("chromium is not installed: .ci/install-chromium must run before the tests in CI");
    }
    System.err.println("ReportDeliveryTest: chromium is absent (run .ci/install-chromium); the PDF is not checked");
    return false;
  }

  private static String html(Multipart alternative) throws Exception {
    for (int i = 0; i < alternative.getCount(); i++) {
      if (alternative.getBodyPart(i).isMimeType("text/html")) {
        return (String) alternative.getBodyPart(i).getContent();
      }
    }
    throw new AssertionError("no HTML part");
  }

  private static byte[] readAll(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }

  private static BigDecimal nativeRevenue(Warehouse w) throws Exception {
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT toString(sum(total)) FROM orders FINAL WHERE status = 'completed'"
            + " AND order_time >= toDateTime64('2031-03-03', 3, 'UTC') AND order_time < toDateTime64('2031-03-10', 3, 'UTC')")) {
      rs.next();
      BigDecimal v = new BigDecimal(rs.getString(1));
      assertTrue(v.signum() > 0, "the fixture week has revenue");
      return v;
    }
  }

  private static Map<String, Object> row(Warehouse w, String runId) throws Exception {
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT status, delivery_status, delivery_attempts FROM report_runs FINAL WHERE run_id = '" + runId + "'")) {
      assertTrue(rs.next(), runId);
      Map<String, Object> m = new HashMap<>();
      m.put("status", rs.getString(1));
      m.put("delivery_status", rs.getString(2));
      List<String> a = new ArrayList<>();
      for (Object o : (Object[]) rs.getArray(3).getArray()) {
        a.add(String.valueOf(o));
      }
      m.put("delivery_attempts", a);
      return m;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> attempts(Map<String, Object> row) {
    return (List<String>) row.get("delivery_attempts");
  }
}
