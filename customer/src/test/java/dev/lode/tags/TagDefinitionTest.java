package dev.lode.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing tag definition files and the sensitivity policy, without the engine. */
class TagDefinitionTest {
  private static final String BODY = "SELECT person_id, 'x' AS value, 1.0 AS score, map('n', 1.0) AS counts,"
      + " CAST([], 'Array(String)') AS examples FROM profiles WHERE last_seen <= {as_of}";

  @Test
  void builtInDefinitionsLoadWithoutRefusals() {
    TagCatalog c = TagCatalog.load(LodeConfig.of(Map.of()));
    assertEquals(List.of(), c.refused());
    assertEquals(List.of("cart_abandoner", "churn_risk", "interest", "lifecycle_stage", "price_sensitive_browser",
        "purchase_propensity", "rfm_segment"), c.definitions().stream().map(TagDefinition::id).sorted().toList());
    TagDefinition m = c.require("purchase_propensity");
    assertEquals(TagKind.MODEL, m.kind());
    assertEquals(14, m.horizonDays());
    assertTrue(m.render(java.time.Instant.parse("2026-01-01T00:00:00Z")).contains("toDateTime64('2026-01-01 00:00:00.000', 3, 'UTC') + INTERVAL 14 DAY"));
    assertThrows(IllegalArgumentException.class, () -> c.require("nope"));
  }

  @Test
  void headerIsParsedAndChecked() {
    TagDefinition d = TagDefinition.parse("t.sql", TagRefreshTest.header("night_owl", "Night owl", "behavior") + BODY);
    assertEquals("night_owl", d.id());
    assertEquals(Duration.ofHours(1), d.refresh());
    assertEquals("profiling", d.consentPurpose());
    assertEquals("1h", d.refreshText());
    String changed = TagDefinition.parse("t.sql", TagRefreshTest.header("night_owl", "Night owl", "behavior")
        + BODY + " AND 1").checksum();
    assertNotEquals(d.checksum(), changed, "a changed SELECT changes the checksum");

    String noOwner = TagRefreshTest.header("a_b", "n", "behavior").replace("-- owner: o\n", "") + BODY;
    assertTrue(assertThrows(TagDefinitionException.class, () -> TagDefinition.parse("t.sql", noOwner)).getMessage()
        .contains("'-- owner: …' is missing"));
    String typo = "-- tga: x\n" + TagRefreshTest.header("a_b", "n", "behavior") + BODY;
    assertTrue(assertThrows(TagDefinitionException.class, () -> TagDefinition.parse("t.sql", typo)).getMessage()
        .contains("unknown header 'tga'"));
    String twoStatements = TagRefreshTest.header("a_b", "n", "behavior") + BODY + "; DROP TABLE events";
    assertTrue(assertThrows(TagDefinitionException.class, () -> TagDefinition.parse("t.sql", twoStatements))
        .getMessage().contains("exactly one statement"));
    String insert = TagRefreshTest.header("a_b", "n", "behavior") + "INSERT INTO events SELECT * FROM events";
    assertThrows(TagDefinitionException.class, () -> TagDefinition.parse("t.sql", insert));
    String placeholder = TagRefreshTest.header("a_b", "n", "behavior") + BODY + " AND {user}";
    assertTrue(assertThrows(TagDefinitionException.class, () -> TagDefinition.parse("t.sql", placeholder))
        .getMessage().contains("unknown placeholder {user}"));
    String badRefresh = TagRefreshTest.header("a_b", "n", "behavior").replace("1h", "hourly") + BODY;
    assertThrows(TagDefinitionException.class, () -> TagDefinition.parse("t.sql", badRefresh));
  }

  @Test
  void sensitiveClassesAreRefusedByCategorySensitivityOrName() {
    for (String category : List.of("health", "Religion", "political", "sexual_orientation", "ethnicity",
        "financial hardship", "minors", "race")) {
      TagDefinition d = TagDefinition.parse("t.sql", TagRefreshTest.header("some_tag", "Some tag", category) + BODY);
      SensitiveTagException e = assertThrows(SensitiveTagException.class, () -> SensitivityPolicy.check(d), category);
      assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }
    TagDefinition byName = TagDefinition.parse("t.sql", TagRefreshTest.header("debt_signals", "Money trouble", "value") + BODY);
    assertEquals("financial_hardship", assertThrows(SensitiveTagException.class,
        () -> SensitivityPolicy.check(byName)).sensitiveClass());
    TagDefinition minor = TagDefinition.parse("t.sql", TagRefreshTest.header("likely_minor", "Likely minor", "behavior") + BODY);
    assertEquals("minors", assertThrows(SensitiveTagException.class, () -> SensitivityPolicy.check(minor)).sensitiveClass());
    TagDefinition sensitivity = TagDefinition.parse("t.sql", TagRefreshTest.header("some_tag", "Some tag", "behavior")
        .replace("sensitivity: none", "sensitivity: special_category") + BODY);
    assertThrows(SensitiveTagException.class, () -> SensitivityPolicy.check(sensitivity));
    // product interests that merely mention a word stay allowed
    for (String ok : List.of("kids_toys_fan", "racing_fan", "minority_report_fan_club")) {
      SensitivityPolicy.check(TagDefinition.parse("t.sql", TagRefreshTest.header(ok, ok, "interest") + BODY));
    }
  }
}
