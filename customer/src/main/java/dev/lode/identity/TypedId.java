package dev.lode.identity;

/** An identifier with its type, e.g. {@code (user_id, u-123)} or {@code (email_sha256, 9f86…)}. */
public record TypedId(String type, String value) implements Comparable<TypedId> {

  @Override
  public int compareTo(TypedId o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return type + ":" + value;
  }
}
