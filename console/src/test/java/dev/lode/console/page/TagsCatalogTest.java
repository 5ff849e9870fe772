package dev.lode.console.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Tags page's catalog rows with their quality figures, as the LEFT JOIN the page ran before gave them. */
class TagsCatalogTest {
  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void everyCatalogRowKeepsItsOrderAndGetsItsOwnTagsFiguresOrNone() {
    List<Map<String, Object>> tags = List.of(row("tag_id", "a", "status", "active"),
        row("tag_id", "b", "status", "retired"), row("tag_id", "c", "status", "active"));
    List<Map<String, Object>> quality = List.of(row("tag_id", "c", "coverage", 0.5, "stability_wow", null,
        "conversion_lift", 1.2), row("tag_id", "a", "coverage", 0.25, "stability_wow", 0.9, "conversion_lift", null));
    List<Map<String, Object>> out = TagsPage.withQuality(tags, quality);
    assertEquals(List.of("a", "b", "c"), out.stream().map(r -> r.get("tag_id")).toList());
    assertEquals(0.25, out.get(0).get("coverage"));
    assertEquals(0.9, out.get(0).get("stability_wow"));
    assertNull(out.get(1).get("coverage"), "a retired tag has no quality row");
    assertEquals("retired", out.get(1).get("status"));
    assertEquals(1.2, out.get(2).get("conversion_lift"));
  }
}
