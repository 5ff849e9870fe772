package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A report page as a browser shows it: Debian's headless Chromium takes a screenshot of
 * the HTML file (opened from disk, no network), and the chart's series colours must be on
 * it. Needs {@code chromium} on the PATH ({@code .ci/install-chromium}); set
 * {@code -Dlode.test.skip-browser=true} to skip on a machine without it.
 */
class HtmlRenderTest {
  private static ReportCatalog catalog;
  private static ReportQuery query;

  @BeforeAll
  static void load() throws Exception {
    ReportFixture.load(TestWarehouse.get());
    catalog = ReportCatalog.load(null);
    query = new ReportQuery(TestWarehouse.get()::connect, 120);
  }

  @Test
  void lineChartIsVisible() throws Exception {
    BufferedImage png = screenshot("daily_kpi", Map.of("start_date", "2031-03-03", "end_date", "2031-03-09"));
    // three series: each colour drawn as a line of several hundred pixels
    for (int s = 0; s < 3; s++) {
      int n = pixels(png, SvgChart.PALETTE[s]);
      assertTrue(n > 300, "series " + s + " colour " + SvgChart.PALETTE[s] + " covers " + n + " pixels");
    }
    assertEquals(0, pixels(png, SvgChart.PALETTE[4]), "no fifth series");
  }

  @Test
  void barChartIsVisible() throws Exception {
    BufferedImage png = screenshot("weekly_funnel", Map.of("week_start", "2031-03-03"));
    int n = pixels(png, SvgChart.PALETTE[0]);
    assertTrue(n > 5_000, "funnel bars cover " + n + " pixels");
  }

  private static BufferedImage screenshot(String report, Map<String, String> params) throws Exception {
    ReportDefinition d = catalog.get(report);
    ReportResult r = query.run(d, ReportQuery.bind(d, params, Clock.systemUTC()));
    Path dir = TestWarehouse.freshDir("html-" + report);
    List<Path> files = ReportJob.write(r, Set.of(OutputFormat.HTML), dir, Instant.parse("2031-03-10T06:00:00Z"));
    String html = Files.readString(files.get(0));
    for (String external : List.of("src=", "href=", "url(", "@import", "<script", "<link")) {
      assertFalse(html.contains(external), "self-contained: no external resource, no script, found " + external);
    }
    assertTrue(html.contains("<svg"), "has a chart");
    if (Boolean.getBoolean("lode.test.skip-browser")) {
      org.junit.jupiter.api.Assumptions.abort("lode.test.skip-browser=true");
    }
    Path png = dir.resolve(report + ".png");
    Path profile = Files.createTempDirectory(dir, "chromium-profile-");
    List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
        "--window-size=1200,2000", files.get(0).toUri().toString()));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("chromium is not installed: run .ci/install-chromium, or set"
          + " -Dlode.test.skip-browser=true to skip this test", e);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s; log: " + Files.readString(dir.resolve("chromium.log")));
    }
    assertTrue(Files.isRegularFile(png), "no screenshot; chromium exit " + p.exitValue() + ": "
        + Files.readString(dir.resolve("chromium.log")));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1200, img.getWidth());
    return img;
  }

  /** Pixels within a small distance of colour {@code hex} (anti-aliasing blurs edges). */
  private static int pixels(BufferedImage img, String hex) {
    int want = Integer.parseInt(hex.substring(1), 16);
    int wr = want >> 16 & 0xff;
    int wg = want >> 8 & 0xff;
    int wb = want & 0xff;
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (Math.abs((rgb >> 16 & 0xff) - wr) <= 10 && Math.abs((rgb >> 8 & 0xff) - wg) <= 10
            && Math.abs((rgb & 0xff) - wb) <= 10) {
          n++;
        }
      }
    }
    return n;
  }
}
