package dev.lode.identity;

import static dev.lode.identity.ResolvedIdentities.one;
import static dev.lode.identity.ResolvedIdentities.personOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lode.config.LodeConfig;
import dev.lode.hash.Sha256;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.MappingSpec;
import dev.lode.testing.SiloFiles;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Campaign sends keyed by a raw email and responses keyed by a customer number, loaded with a
 * user's mappings after an order history and a CRM file, carry the person their recipient
 * resolves to, as {@code identities_current} says.
 */
class LoadedCampaignsJoinPersonTest {
  private static final String SENDS = """
      Campaign,Send,Email,Sent
      spring,S-1,Ann.Buyer@Example.com ,2011-03-20 08:00:00
      spring,S-2,pierre@example.fr,2011-03-20 08:00:00
      spring,S-3,nobody@example.org,2011-03-20 08:00:00
      """;
  private static final String SENDS_MAPPING = """
      {"kind": "campaign_sends", "format": "csv", "header": true, "source": "esp_export",
       "fields": {"campaign_id": "Campaign", "send_id": "Send", "recipient": "Email",
                  "channel": {"const": "email"}, "sent_at": {"from": "Sent", "format": "iso"}}}
      """;
  private static final String RESPONSES = """
      Campaign,Send,Customer,What,When
      spring,S-1,12345,click,2011-03-20 09:00:00
      spring,S-2,12346,open,2011-03-21 10:00:00
      """;
  private static final String RESPONSES_MAPPING = """
      {"kind": "campaign_responses", "format": "csv", "header": true, "source": "esp_export",
       "fields": {"campaign_id": "Campaign", "send_id": "Send", "recipient": "Customer",
                  "recipient_type": {"const": "customer_no"}, "response_type": "What",
                  "responded_at": {"from": "When", "format": "iso"}}}
      """;

  @Test
  void sendsAndResponsesCarryTheirRecipientsPerson() throws Exception {
    Warehouse w = TestWarehouse.isolated("campaignjoin");
    IdentityResolver resolver = new IdentityResolver(w, LodeConfig.of(Map.of()));
    Path dir = TestWarehouse.freshDir("campaignjoin");
    BatchLoader loader = new BatchLoader(w);
    // the campaign files first: their rows wait for the CRM file that links emails to customers
    load(loader, dir, "sends", SENDS, SENDS_MAPPING, LoadKind.CAMPAIGN_SENDS);
    resolver.resolve();
    load(loader, dir, "responses", RESPONSES, RESPONSES_MAPPING, LoadKind.CAMPAIGN_RESPONSES);
    resolver.resolve();
    load(loader, dir, "crm", SiloFiles.CRM, SiloFiles.CRM_MAPPING, LoadKind.PERSONS);
    resolver.resolve();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      String ann = personOf(st, "customer_no", "12345");
      String pierre = personOf(st, "customer_no", "12346");
      assertNotEquals("", ann);
      assertNotEquals(ann, pierre);
      assertEquals(ann, personOf(st, "email_sha256", Sha256.hex("ann.buyer@example.com")), "the CRM file links them");
      assertEquals(ann, one(st, "SELECT any(person_id) FROM campaign_sends FINAL WHERE send_id = 'S-1'"));
      assertEquals(pierre, one(st, "SELECT any(person_id) FROM campaign_sends FINAL WHERE send_id = 'S-2'"));
      assertEquals(ann, one(st, "SELECT any(person_id) FROM campaign_responses FINAL WHERE send_id = 'S-1'"));
      assertEquals(pierre, one(st, "SELECT any(person_id) FROM campaign_responses FINAL WHERE send_id = 'S-2'"));
      // every row, the stranger's too: its person is the one its typed recipient resolves to now
      for (String table : new String[] {"campaign_sends", "campaign_responses"}) {
        assertEquals("0", one(st, "SELECT count() FROM " + table + " AS s FINAL LEFT ANY JOIN (SELECT id_type,"
            + " id_value, person_id FROM identities_current) AS i ON i.id_type = s.recipient_type"
            + " AND i.id_value = s.recipient WHERE s.person_id != i.person_id OR s.person_id = ''"), table);
      }
    }
  }

  private static void load(BatchLoader loader, Path dir, String name, String text, String mapping, LoadKind kind)
      throws Exception {
    Path file = Files.writeString(dir.resolve(name + ".csv"), text);
    Path spec = Files.writeString(dir.resolve(name + "-mapping.json"), mapping);
    loader.load(file, kind, MappingSpec.resolve(spec.toString()), BatchLoader.Options.defaults());
  }
}
