package dev.lode.collector.policy;

import dev.lode.collector.CollectorSettings;
import dev.lode.config.LodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How finely each kind of event is kept, per event name or pattern: keep every event;
 * sample a share of persons (deterministic per person, so a sampled person's funnel is
 * complete); or summarize (fold scroll / heartbeat / mousemove into the dwell time of
 * the page view instead of storing them); each with a retention class (TTL days).
 * Configured as
 * <pre>
 * lode.collector.policy.rules=interactions,debug
 * lode.collector.policy.interactions.match=scroll,heartbeat,mousemove
 * lode.collector.policy.interactions.action=summarize
 * lode.collector.policy.debug.match=debug_*
 * lode.collector.policy.debug.action=sample
 * lode.collector.policy.debug.rate=0.1
 * lode.collector.policy.debug.retention-days=30
 * lode.collector.policy.default.retention-days=0
 * </pre>
 * Rules are tried in the listed order; the first whose pattern matches the event name wins.
 */
public final class GranularityPolicy {
  /** What happens to a matching event. */
  public enum Action { KEEP, SAMPLE, SUMMARIZE }

  /** One rule of the policy. */
  public record Rule(String name, String match, Action action, double rate, int retentionDays, List<Pattern> patterns) {
    boolean matches(String eventName) {
      for (Pattern p : patterns) {
        if (p.matcher(eventName).matches()) {
          return true;
        }
      }
      return false;
    }
  }

  private static final int MAX_CACHED_NAMES = 10_000;
  private final List<Rule> rules;
  /** The rule each seen event name resolved to: names repeat, so the patterns run once per name. */
  private final java.util.concurrent.ConcurrentHashMap<String, Rule> byName = new java.util.concurrent.ConcurrentHashMap<>();

  GranularityPolicy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static GranularityPolicy from(LodeConfig c) {
    List<Rule> rules = new ArrayList<>();
    for (String name : CollectorSettings.list(c.get("lode.collector.policy.rules", ""))) {
      String prefix = "lode.collector.policy." + name + ".";
      String match = c.get(prefix + "match").orElseThrow(() -> new IllegalArgumentException(
          "granularity rule '" + name + "' needs " + prefix + "match (event names or patterns)"));
      String actionText = c.get(prefix + "action", "keep").toUpperCase(Locale.ROOT);
      Action action;
      try {
        action = Action.valueOf(actionText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(prefix + "action=" + actionText.toLowerCase(Locale.ROOT)
            + " is not one of keep, sample, summarize");
      }
      double rate = 1.0;
      if (action == Action.SAMPLE) {
        String r = c.get(prefix + "rate").orElseThrow(() -> new IllegalArgumentException(
            "granularity rule '" + name + "' samples, so it needs " + prefix + "rate (0..1)"));
        try {
          rate = Double.parseDouble(r);
        } catch (NumberFormatException e) {
          rate = -1;
        }
        if (!(rate >= 0 && rate <= 1)) {
          throw new IllegalArgumentException(prefix + "rate=" + r + " must be a number from 0 to 1");
        }
      }
      rules.add(rule(name, match, action, rate, c.getInt(prefix + "retention-days", 0)));
    }
    rules.add(rule("default", "*", Action.KEEP, 1.0, c.getInt("lode.collector.policy.default.retention-days", 0)));
    return new GranularityPolicy(rules);
  }

  static Rule rule(String name, String match, Action action, double rate, int retentionDays) {
    if (retentionDays < 0 || retentionDays > 65535) {
      throw new IllegalArgumentException("granularity rule '" + name + "': retention-days must be 0..65535");
    }
    List<Pattern> ps = new ArrayList<>();
    for (String m : CollectorSettings.list(match)) {
      // DOTALL: "*" matches every character, line separators too, so the default rule matches every name
      ps.add(Pattern.compile(globToRegex(m), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
    }
    return new Rule(name, match, action, rate, retentionDays, ps);
  }

  private static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    String[] parts = glob.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(parts[i]));
    }
    return re.toString();
  }

  /** The first rule matching the event name (the default rule matches everything). */
  public Rule ruleFor(String eventName) {
    Rule known = byName.get(eventName);
    if (known != null) {
      return known;
    }
    Rule r = firstMatch(eventName);
    if (byName.size() < MAX_CACHED_NAMES) { // bounded: a client sending random names cannot grow it
      byName.put(eventName, r);
    }
    return r;
  }

  private Rule firstMatch(String eventName) {
    for (Rule r : rules) {
      if (r.matches(eventName)) {
        return r;
      }
    }
    throw new IllegalStateException("the default rule matches every name");
  }

  /**
   * Whether a sample rule keeps this person: a hash of rule and person id compared with
   * the rate, so the same person is always in or always out.
   */
  public static boolean sampledIn(Rule r, String personKey) {
    if (r.rate() >= 1) {
      return true;
    }
    long h = 0xcbf29ce484222325L;
    String s = r.name() + '\u0000' + personKey;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    double u = (h >>> 11) * 0x1.0p-53;
    return u < r.rate();
  }

  public List<Rule> rules() {
    return rules;
  }
}
