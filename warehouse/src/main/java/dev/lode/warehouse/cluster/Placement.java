package dev.lode.warehouse.cluster;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one table's rows live on a cluster: split across the shards by a sharding key (a
 * {@code _local} replicated table on every node, a {@code Distributed} table under the name
 * queries use), or a full copy replicated to every node of every shard.
 *
 * @param shardingKey the ClickHouse expression the Distributed table routes rows by; null for
 *                    a table replicated to every node
 * @param why         the reason, as docs/scale-out.md gives it
 */
public record Placement(String shardingKey, String why) {
  private static final Pattern COLUMN = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\b(?!\\s*\\()");

  /** Split across shards by {@code key}. */
  public static Placement sharded(String key, String why) {
    return new Placement(key, why);
  }

  /** A full copy on every node. */
  public static Placement everywhere(String why) {
    return new Placement(null, why);
  }

  public boolean isSharded() {
    return shardingKey != null;
  }

  /** The columns the sharding key reads (the function names in it left out). */
  public List<String> keyColumns() {
    if (shardingKey == null) {
      return List.of();
    }
    Matcher m = COLUMN.matcher(shardingKey);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
