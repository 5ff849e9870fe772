package dev.lode.report;

import java.sql.Connection;
import java.sql.SQLException;

/** Where report queries get a clickhouse-jdbc connection: the warehouse, or a running server's engine. */
@FunctionalInterface
public interface ConnectionSource {
  Connection connect() throws SQLException;
}
