package dev.lode.identity;

/**
 * One observation the resolver learns from: either a link ("a and b are one person",
 * {@code b} non-null) or a sighting of a single id ({@code b} null), with when it
 * happened, where it came from and the record that carried it.
 *
 * @param reason identify, alias, login, crm_key, ticket_requester, campaign_recipient, link, seen
 */
public record IdentityEvidence(TypedId a, TypedId b, long time, String source, String evidence, String reason) {

  public boolean isLink() {
    return b != null;
  }
}
