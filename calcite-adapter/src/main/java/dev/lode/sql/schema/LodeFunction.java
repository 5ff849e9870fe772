package dev.lode.sql.schema;

import org.apache.calcite.schema.Function;

/** A table function Lode mounts in every SQL schema under its own name. */
public interface LodeFunction extends Function {
  /** The SQL name, e.g. {@code funnel}. */
  String name();
}
