package dev.lode.collector.policy;

import dev.lode.collector.CollectedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives the dwell time of each visitor's current page view from what follows it: a
 * page-leave event (exact), heartbeat / scroll / mousemove events folded into it (at
 * least until the last one), or the next page view in the same session (the gap). Each
 * change yields the page-view row again with the new {@code dwell_ms}; stored, it
 * replaces the first row (same sort key, inserted later). State is in memory and bounded;
 * after a restart, pages opened before it get no further dwell updates.
 */
public final class DwellTracker {
  private static final int CAPACITY = 200_000;

  /** A visitor's current page view and what has been folded into it. */
  private static final class OpenPage {
    final CollectedEvent page;
    long dwell;
    int folded;
    boolean closed;

    OpenPage(CollectedEvent page) {
      this.page = page;
    }
  }

  private final long sessionTimeoutMs;
  private final Map<String, OpenPage> open = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, OpenPage> eldest) {
      return size() > CAPACITY;
    }
  };

  public DwellTracker(long sessionTimeoutMs) {
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  private static String visitor(CollectedEvent e) {
    return e.source() + '\u0000' + (e.anonymousId().isEmpty() ? e.userId() : e.anonymousId());
  }

  /** A stored page or screen view: closes the visitor's previous page (dwell = the gap) and opens this one. */
  public synchronized CollectedEvent onPageView(CollectedEvent pv) {
    String key = visitor(pv);
    OpenPage prev = open.get(key);
    CollectedEvent update = null;
    if (prev != null && !prev.closed && pv.eventTime() > prev.page.eventTime()) {
      long gap = pv.eventTime() - prev.page.eventTime();
      boolean sameSession = prev.page.sessionId().isEmpty() || pv.sessionId().isEmpty()
          || prev.page.sessionId().equals(pv.sessionId());
      if (sameSession && gap <= sessionTimeoutMs && gap > prev.dwell) {
        prev.dwell = gap;
        prev.closed = true;
        update = prev.page.withDwell(gap, extra("next_page_view", prev.folded));
      }
    }
    if (prev == null || pv.eventTime() >= prev.page.eventTime()) {
      open.put(key, new OpenPage(pv));
    }
    return update;
  }

  /** A page-leave or a summarized activity event: extends (or, for a leave, fixes) the open page's dwell. */
  public synchronized CollectedEvent onActivity(CollectedEvent e, boolean leave) {
    OpenPage p = open.get(visitor(e));
    if (p == null || p.closed) {
      return null;
    }
    long d = e.eventTime() - p.page.eventTime();
    if (d < 0 || d > sessionTimeoutMs) {
      return null;
    }
    p.folded += leave ? 0 : 1;
    if (leave) {
      p.closed = true;
      p.dwell = d;
      return p.page.withDwell(d, extra("page_leave", p.folded));
    }
    if (d > p.dwell) {
      p.dwell = d;
      return p.page.withDwell(d, extra("activity", p.folded));
    }
    return null;
  }

  private static Map<String, String> extra(String how, int folded) {
    return Map.of("$dwell_source", how, "$folded_events", Integer.toString(folded));
  }
}
