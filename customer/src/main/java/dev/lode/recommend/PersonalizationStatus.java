package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether recommend() can personalize anyone. With {@code lode.recommend.consent-required} (the
 * default) only persons whose latest 'personalization' decision is a grant get lists from their
 * own history; in a warehouse without any such grant — loaded files carry no consent — everyone
 * silently gets the context-only list, so this says so where an operator looks.
 */
public record PersonalizationStatus(boolean consentRequired, long grantedPersons) {

  /** Reads the persons with a current personalization grant. */
  public static PersonalizationStatus read(Warehouse warehouse, RecommendSettings settings) throws SQLException {
    if (!settings.consentRequired()) {
      return new PersonalizationStatus(false, 0);
    }
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM (SELECT person_id FROM consents"
             + " WHERE person_id != '' AND purpose = 'personalization'"
             + " GROUP BY person_id HAVING argMax(granted, recorded_at) = 1)")) {
      rs.next();
      return new PersonalizationStatus(true, rs.getLong(1));
    }
  }

  /** True when consent is required and nobody has granted it: no list is personal. */
  public boolean offForEveryone() {
    return consentRequired && grantedPersons == 0;
  }

  /** One status line for people. */
  public String toText() {
    if (!consentRequired) {
      return "personalization: on for everyone (lode.recommend.consent-required=false)";
    }
    if (offForEveryone()) {
      return "personalization: OFF for everyone — lode.recommend.consent-required=true and no person has a"
          + " 'personalization' consent grant, so recommend() returns the context-only list for all; record"
          + " consents (table consents) or set lode.recommend.consent-required=false";
    }
    return String.format("personalization: on for %,d persons with a 'personalization' consent grant", grantedPersons);
  }
}
