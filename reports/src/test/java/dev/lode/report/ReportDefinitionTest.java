package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Definition headers, parameter checks and relative defaults, and the cron parser. */
class ReportDefinitionTest {
  private static final Clock WED = Clock.fixed(Instant.parse("2031-03-05T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void builtInReportsParse() {
    ReportCatalog c = ReportCatalog.load(null);
    assertEquals(List.of("campaign_effect", "cohort_retention", "daily_kpi", "data_quality", "tag_health",
        "weekly_funnel"), c.all().stream().map(ReportDefinition::name).toList());
    for (ReportDefinition d : c.all()) {
      assertTrue(d.schedule().isPresent(), d.name() + " is scheduled");
      assertTrue(!d.description().isEmpty() && d.chart().kind() != ChartSpec.Kind.NONE, d.name());
      assertTrue(!d.sqlWithDefaults().contains("{"), d.name() + " view SQL keeps no placeholder");
    }
  }

  @Test
  void ownDefinitionsDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("daily_kpi.sql"), "-- title: Our own KPIs\nSELECT 1 AS one\n");
    java.nio.file.Files.writeString(dir.resolve("top_items.sql"), "-- title: Top items\nSELECT 2 AS two\n");
    java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not a report");
    ReportCatalog c = ReportCatalog.load(dir);
    assertEquals(7, c.all().size());
    assertEquals("Our own KPIs", c.get("daily_kpi").title());
    assertEquals("SELECT 2 AS two", c.get("top_items").sql());
    java.nio.file.Files.writeString(dir.resolve("broken.sql"), "-- title: B\n-- schedule: 0 6 * *\nSELECT 1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportCatalog.load(dir));
    assertEquals("report broken, line 2: cron expression '0 6 * *' must have 5 fields (minute hour day-of-month"
        + " month day-of-week), has 4", e.getMessage());
  }

  @Test
  void headerAndDefaults() {
    ReportDefinition d = ReportDefinition.parse("t", """
        -- title: T
        -- description: one
        -- description: two
        -- param: a Date = week_start-1 | last week's Monday
        -- param: b Date = month_start-2
        -- param: c UInt8 = 6
        -- param: s String =  | empty by default
        -- schedule: 0 6 * * 1
        -- formats: csv
        -- chart: line x=a y=c series=s
        SELECT {a:Date} AS a, {b:Date}, {c:UInt8} AS c, {s:String} AS s;
        """);
    assertEquals("one two", d.description());
    assertEquals(Set.of(OutputFormat.CSV), d.formats());
    assertEquals(Map.of("a", "2031-02-24", "b", "2031-01-01", "c", "6", "s", ""), ReportQuery.bind(d, Map.of(), WED));
    assertEquals("SELECT (toMonday(today()) + -7) AS a, addMonths(toStartOfMonth(today()), -2), toUInt8(6) AS c, '' AS s",
        d.sqlWithDefaults());
    assertEquals("2031-03-01", ReportQuery.bind(d, Map.of("a", " 2031-03-01 "), WED).get("a"));
  }

  @Test
  void clearErrors() {
    assertError("no '-- title:'", "SELECT 1");
    assertError("uses {x:Date} but declares no '-- param: x", "-- title: T\nSELECT {x:Date}");
    assertError("uses {x:Date} but declares it as UInt8", "-- title: T\n-- param: x UInt8 = 1\nSELECT {x:Date}");
    assertError("declares parameter 'y' its SQL never uses", "-- title: T\n-- param: y UInt8 = 1\nSELECT 1");
    assertError("line 2: cron day-of-week value 9 is outside 0-7", "-- title: T\n-- schedule: 0 6 * * 9\nSELECT 1");
    assertError("line 2: unsupported parameter type 'Text'", "-- title: T\n-- param: x Text = a\nSELECT {x:Text}");
    assertError("parameter x default expects a Date (YYYY-MM-DD), got 'yesterday'",
        "-- title: T\n-- param: x Date = yesterday\nSELECT {x:Date}");
    assertError("chart type 'pie' is not one of none, line, bar", "-- title: T\n-- chart: pie x=a y=b\nSELECT 1");
    assertError("unknown header key 'owner'", "-- title: T\n-- owner: me\nSELECT 1");
    ReportDefinition d = ReportDefinition.parse("t", "-- title: T\n-- param: n UInt8 = 1\nSELECT {n:UInt8}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportQuery.bind(d,
        Map.of("n", "300"), WED));
    assertEquals("parameter 'n' expects a UInt8 (an integer in range of uint8), got '300'", e.getMessage());
  }

  private static void assertError(String expected, String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportDefinition.parse("t", text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void cron() {
    ZonedDateTime t = ZonedDateTime.parse("2031-03-05T10:17:30Z"); // a Wednesday
    assertEquals(ZonedDateTime.parse("2031-03-06T06:00Z"), CronSchedule.parse("0 6 * * *").next(t));
    assertEquals(ZonedDateTime.parse("2031-03-05T10:30Z"), CronSchedule.parse("*/15 * * * *").next(t));
    assertEquals(ZonedDateTime.parse("2031-03-10T06:00Z"), CronSchedule.parse("0 6 * * mon").next(t));
    assertEquals(ZonedDateTime.parse("2031-04-01T07:00Z"), CronSchedule.parse("0 7 1 * *").next(t));
    assertEquals(ZonedDateTime.parse("2031-03-08T00:00Z"), CronSchedule.parse("0 0 * * 6,7").next(t));
    assertEquals(ZonedDateTime.parse("2032-02-29T00:00Z"), CronSchedule.parse("0 0 29 feb *").next(t));
    assertEquals(ZonedDateTime.parse("2031-03-05T12:05Z"), CronSchedule.parse("5 9-18/3 * * 1-5").next(t)); // 9,12,15,18
    // both day fields restricted: either matches (the 15th, or any Friday)
    assertEquals(ZonedDateTime.parse("2031-03-07T00:00Z"), CronSchedule.parse("0 0 15 * fri").next(t));
    assertEquals(ZonedDateTime.parse("2031-03-06T06:00Z"), CronSchedule.parse("0 6 * * *")
        .next(ZonedDateTime.parse("2031-03-05T06:00Z")));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 6 * *"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 25 * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 31 feb *").next(t));
  }
}
