package dev.lode.testing;

/**
 * Silo exports as a new user brings them, with the mapping files a user writes for them: a help
 * desk export keyed by an email only, a CRM file linking customer numbers to emails, and the
 * mapping of an order history in Online Retail's layout (each test writes the order rows its
 * question needs). Shared by the loader-API and the command-line tests of the same silo join.
 */
public final class SiloFiles {
  /** An order history in Online Retail's columns, keyed by the customer number; "C" invoices are cancellations. */
  public static final String ORDERS_MAPPING = """
      {"kind": "orders", "format": "csv", "header": true, "source": "shop_export",
       "fields": {
         "order_id": "InvoiceNo", "item_id": "StockCode", "quantity": "Quantity", "unit_price": "UnitPrice",
         "order_time": {"from": "InvoiceDate", "format": "iso"},
         "customer_key": {"from": "CustomerID", "transform": "integer"},
         "status": {"when": {"field": "InvoiceNo", "prefix": "C"}, "then": "cancelled", "else": "completed"},
         "country": "Country", "item_title": "Description"}}
      """;

  /**
   * The help desk knows customers by email only (one written with capitals and a trailing space);
   * one requester is no customer at all; the newest ticket (T-2, 2011-12-15 09:00) is later than
   * every order of the tests' order files.
   */
  public static final String TICKETS = """
      Ticket,Email,Created,Kind,Subject
      T-1,Ann.Buyer@Example.com ,2011-03-25 09:00:00,complaint,teapot cracked
      T-2,ann.buyer@example.com,2011-12-15 09:00:00,question,refund?
      T-3,pierre@example.fr,2011-05-10 08:30:00,praise,lovely lanterns
      T-4,stranger@example.org,2011-05-11 08:30:00,question,do you ship to Mars
      """;

  public static final String TICKETS_MAPPING = """
      {"kind": "tickets", "format": "csv", "header": true, "source": "helpdesk_export",
       "fields": {
         "ticket_id": "Ticket",
         "requester": {"from": "Email", "transform": "email_sha256"},
         "requester_type": {"const": "email_sha256"},
         "opened_at": {"from": "Created", "format": "iso"},
         "ticket_type": "Kind", "subject": "Subject"}}
      """;

  /** The CRM links customers 12345 (Ann) and 12346 (Pierre) to their emails. */
  public static final String CRM = """
      CustomerID,Email
      12345,ann.buyer@example.com
      12346,Pierre@Example.fr
      """;

  public static final String CRM_MAPPING = """
      {"kind": "persons", "format": "csv", "header": true, "source": "crm_export",
       "fields": {"contact_id": "CustomerID", "customer_no": "CustomerID", "email": "Email"}}
      """;

  private SiloFiles() {
  }
}
