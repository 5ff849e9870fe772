package dev.lode.identity;

import dev.lode.hash.Sha256;
import dev.lode.warehouse.IdentifierHygiene;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connected components of identifiers, applied incrementally: it starts from the persons
 * the touched ids already belong to, then takes new evidence in time order, joining
 * components with union-find. Guards keep bad links from merging people: unusable ids
 * ({@link IdentifierHygiene}) never link; two persons that each carry a user_id are not
 * merged; per-type limits (e.g. one customer number per person) hold. A refused link is
 * returned as a conflict; a merge of two existing persons is returned with the link that
 * caused it. Person ids are stable: an existing person keeps its id, and a new one is
 * derived from its first id.
 */
public final class IdentityGraph {
  /** The id type whose presence makes a person "identified". */
  public static final String USER_ID = "user_id";

  /** An id's person after resolution, when it is new or changed. */
  public record Assignment(TypedId id, String personId, long firstSeen, String source, String reason) {
  }

  /** A merge of person {@code from} into {@code into}, and the link that caused it. */
  public record Merge(String from, String into, IdentityEvidence cause) {
  }

  /** A link that was not applied because it would merge {@code personA} and {@code personB} against a guard. */
  public record Conflict(String personA, String personB, IdentityEvidence cause, String reason) {
  }

  /** A person created by this resolution and its earliest evidence time. */
  public record NewPerson(String personId, long firstSeen, String source) {
  }

  /** What one resolution changed. */
  public record Result(List<Assignment> assignments, List<NewPerson> newPersons, List<String> retiredPersons,
                       List<Merge> merges, List<Conflict> conflicts, long linksApplied, long unusableIds) {
  }

  private static final class Node {
    final TypedId id;
    final String existingPerson;
    int parent;
    long firstSeen = Long.MAX_VALUE;
    String source = "";
    String reason = "";

    Node(TypedId id, String existingPerson, int self) {
      this.id = id;
      this.existingPerson = existingPerson;
      this.parent = self;
    }
  }

  /** Per-root data: the person id the component resolves to and its id counts by type. */
  private static final class Component {
    String personId;
    boolean existing;
    int size = 1;
    final Map<String, Integer> typeCounts = new HashMap<>(4);
  }

  private final Map<String, Integer> limits;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<TypedId, Integer> index = new HashMap<>();
  private final Map<Integer, Component> components = new HashMap<>();
  private final Map<String, Integer> personRoot = new HashMap<>();

  /** @param limits the most ids of a type one person may hold (types not named are unlimited) */
  public IdentityGraph(Map<String, Integer> limits) {
    this.limits = Map.copyOf(limits);
  }

  /** Declares current state: {@code id} belongs to {@code personId}. Call for every id of every touched person. */
  public void addExisting(TypedId id, String personId, long firstSeen, String source) {
    if (index.containsKey(id)) {
      return;
    }
    int n = nodes.size();
    Node node = new Node(id, personId, n);
    node.firstSeen = firstSeen;
    node.source = source;
    nodes.add(node);
    index.put(id, n);
    Integer root = personRoot.get(personId);
    if (root == null) {
      Component c = new Component();
      c.personId = personId;
      c.existing = true;
      c.typeCounts.merge(id.type(), 1, Integer::sum);
      components.put(n, c);
      personRoot.put(personId, n);
    } else {
      node.parent = root;
      Component c = components.get(root);
      c.size++;
      c.typeCounts.merge(id.type(), 1, Integer::sum);
    }
  }

  private int node(TypedId id, IdentityEvidence ev) {
    Integer i = index.get(id);
    if (i == null) {
      i = nodes.size();
      Node n = new Node(id, null, i);
      nodes.add(n);
      index.put(id, i);
      Component c = new Component();
      c.personId = newPersonId(id);
      c.typeCounts.put(id.type(), 1);
      components.put(i, c);
    }
    Node n = nodes.get(i);
    if (ev.time() < n.firstSeen) {
      n.firstSeen = ev.time();
      n.source = ev.source();
      if (n.reason.isEmpty() || n.existingPerson == null) {
        n.reason = ev.reason();
      }
    }
    return i;
  }

  private int find(int i) {
    int r = i;
    while (nodes.get(r).parent != r) {
      r = nodes.get(r).parent;
    }
    while (nodes.get(i).parent != r) { // path compression keeps a 10,000-id chain flat
      int next = nodes.get(i).parent;
      nodes.get(i).parent = r;
      i = next;
    }
    return r;
  }

  /** Applies evidence in time order and returns what changed. */
  public Result apply(List<IdentityEvidence> evidence) {
    List<IdentityEvidence> sorted = new ArrayList<>(evidence);
    sorted.sort((x, y) -> Long.compare(x.time(), y.time()));
    List<Merge> merges = new ArrayList<>();
    List<Conflict> conflicts = new ArrayList<>();
    long applied = 0;
    long unusable = 0;
    for (IdentityEvidence ev : sorted) {
      boolean aOk = IdentifierHygiene.isUsable(ev.a().value());
      boolean bOk = ev.b() != null && IdentifierHygiene.isUsable(ev.b().value());
      if (!aOk) {
        unusable++;
      }
      if (ev.b() != null && !bOk) {
        unusable++;
      }
      Integer a = aOk ? node(ev.a(), ev) : null;
      Integer b = bOk ? node(ev.b(), ev) : null;
      if (a == null || b == null) {
        continue;
      }
      int ra = find(a);
      int rb = find(b);
      if (ra == rb) {
        continue;
      }
      Component ca = components.get(ra);
      Component cb = components.get(rb);
      String refused = guard(ca, cb);
      if (refused != null) {
        conflicts.add(new Conflict(ca.personId, cb.personId, ev, refused));
        continue;
      }
      // the survivor: an existing person over a new one, then the larger, then the smaller id
      boolean aWins = ca.existing != cb.existing ? ca.existing
          : ca.size != cb.size ? ca.size > cb.size : ca.personId.compareTo(cb.personId) < 0;
      int win = aWins ? ra : rb;
      int lose = aWins ? rb : ra;
      Component cw = components.get(win);
      Component cl = components.get(lose);
      if (cl.existing) {
        merges.add(new Merge(cl.personId, cw.personId, ev));
      }
      nodes.get(lose).parent = win;
      cw.size += cl.size;
      cl.typeCounts.forEach((t, k) -> cw.typeCounts.merge(t, k, Integer::sum));
      components.remove(lose);
      applied++;
    }
    return result(merges, conflicts, applied, unusable);
  }

  private String guard(Component a, Component b) {
    if (a.typeCounts.getOrDefault(USER_ID, 0) > 0 && b.typeCounts.getOrDefault(USER_ID, 0) > 0) {
      return "both_identified";
    }
    for (var e : limits.entrySet()) {
      if (a.typeCounts.getOrDefault(e.getKey(), 0) + b.typeCounts.getOrDefault(e.getKey(), 0) > e.getValue()) {
        return "type_limit";
      }
    }
    return null;
  }

  private Result result(List<Merge> merges, List<Conflict> conflicts, long applied, long unusable) {
    List<Assignment> assignments = new ArrayList<>();
    Map<String, NewPerson> fresh = new LinkedHashMap<>();
    List<String> retired = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      Component c = components.get(find(i));
      if (!c.existing) {
        NewPerson p = fresh.get(c.personId);
        if (p == null || n.firstSeen < p.firstSeen()) {
          fresh.put(c.personId, new NewPerson(c.personId, n.firstSeen, n.source));
        }
      }
      if (n.existingPerson == null) {
        assignments.add(new Assignment(n.id, c.personId, n.firstSeen, n.source, n.reason));
      } else if (!n.existingPerson.equals(c.personId)) {
        assignments.add(new Assignment(n.id, c.personId, n.firstSeen, n.source, "merge"));
      }
    }
    for (Merge m : merges) {
      retired.add(m.from());
    }
    return new Result(assignments, List.copyOf(fresh.values()), retired, merges, conflicts, applied, unusable);
  }

  /** A new person's id: derived from its first identifier, so re-resolving the same data gives the same ids. */
  static String newPersonId(TypedId id) {
    byte[] h = Sha256.digest((id.type() + ":" + id.value()).getBytes(StandardCharsets.UTF_8));
    return "p-" + HexFormat.of().formatHex(h, 0, 10);
  }
}
