package dev.lode.recommend;

import java.util.Locale;

/** A candidate source of the blend; its name appears in every result row's {@code source}. */
public enum Source {
  /** Bought in the same order as an item the person interacted with. */
  BASKET(true),
  /** Viewed or carted in the same browsing session as one of the person's items. */
  SESSION(true),
  /** Bought by the same customers as one of the person's items (item-kNN). */
  CUSTOMER(true),
  /** Learned: the EASE item-item weights of the person's items (a model trained on everyone's purchases). */
  EASE(true),
  /** Learned: the person's best items by implicit-ALS factors (trained instead of EASE on large catalogs). */
  IALS(true),
  /** An item the person recently viewed or carted and has not bought. */
  RECENT(true),
  /** Popular in a category the person recently showed interest in. */
  CATEGORY(true),
  /** Similar to the item in the request's context (the page being looked at). */
  SIMILAR(false),
  /** Popular in the person's segment and region during the current season or holiday. */
  SEASONAL(false),
  /** Bought by more people lately than before. */
  TRENDING(false);

  private final boolean personal;

  Source(boolean personal) {
    this.personal = personal;
  }

  /** True when the source reads the person's own data and so needs consent. */
  public boolean personal() {
    return personal;
  }

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
