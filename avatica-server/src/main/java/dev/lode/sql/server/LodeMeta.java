package dev.lode.sql.server;

import dev.lode.config.Credentials;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.sql.schema.StatementDeadline;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The Avatica {@link org.apache.calcite.avatica.Meta} behind Lode's JDBC endpoint: it runs
 * each request as the caller the HTTP layer names with {@link #callAs}, and delegates to the
 * {@link ConnectionRegistry} (connections, roles, client properties), the
 * {@link StatementRegistry}, {@link StatementAccess} (read-only roles) and {@link JvmJoins}
 * (plans refused to them), {@link ResultFrames} (rows, frames, the result-size limit, spilling),
 * {@link ClientErrors} (SQLSTATEs), the {@link MetadataResults} and the {@link StatementAudit};
 * every statement runs within its {@link StatementDeadline}.
 */
public final class LodeMeta extends MetaImpl implements ProtobufMeta {
  private final SqlLimits limits;
  private final StatementAudit audit;
  private final StatementRegistry statements;
  private final ConnectionRegistry connections;
  private final StatementAccess access = new StatementAccess(ClientDialect.parserConfig());
  private final ClientErrors errors;
  private final ResultFrames frames;
  private final ResultMemory memory;
  private final ScheduledExecutorService expiry;
  private final ConnectionAuthentication authentication;
  private final String productVersion;

  /** Every role sees {@code schemas}; nothing is audited. */
  public LodeMeta(LodeSchemaFactory schemas, SqlLimits limits) {
    this(Map.of(Credentials.Role.ADMIN, List.of(schemas), Credentials.Role.ANALYST, List.of(schemas),
        Credentials.Role.VIEWER, List.of(schemas)), limits, null);
  }

  /**
   * @param schemas per role, the schemas its connections mount (the first is the default schema);
   *                a role without an entry cannot open connections
   * @param audit   where every statement is recorded, or null
   */
  public LodeMeta(Map<Credentials.Role, List<LodeSchemaFactory>> schemas, SqlLimits limits, QueryAuditLog audit) {
    this(schemas, limits, audit, UnaryOperator.identity());
  }

  /**
   * @param redactor applied to every error message a non-admin receives (which then carries no
   *                 cause): engine errors can quote the masked views' definitions
   */
  public LodeMeta(Map<Credentials.Role, List<LodeSchemaFactory>> schemas, SqlLimits limits, QueryAuditLog audit,
                  UnaryOperator<String> redactor) {
    this(schemas, limits, audit, redactor, null, "dev");
  }

  /**
   * @param credentials    what {@code user}/{@code password} connection properties are checked
   *                       against when a request carries no Basic credentials (null: Basic only)
   * @param productVersion Lode's version, reported as the database product version
   */
  public LodeMeta(Map<Credentials.Role, List<LodeSchemaFactory>> schemas, SqlLimits limits, QueryAuditLog audit,
                  UnaryOperator<String> redactor, Credentials credentials, String productVersion) {
    super(null);
    this.authentication = new ConnectionAuthentication(credentials);
    this.productVersion = productVersion;
    this.limits = limits;
    this.audit = new StatementAudit(audit);
    this.memory = new ResultMemory(limits.statementMemoryBytes(), limits.userMemoryBytes(),
        limits.resultsMemoryBytes(), limits.userSpillBytes());
    ResultSpill.clear(limits.spillDir());
    this.frames = new ResultFrames(limits, memory);
    this.statements = new StatementRegistry(this.audit, frames);
    this.connections = new ConnectionRegistry(schemas, statements, limits.connectionsPerUser());
    this.errors = new ClientErrors(redactor);
    int idle = limits.resultIdleSeconds();
    this.expiry = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lode-sql-expiry")
        .factory());
    // looks several times per idle period, so a result is dropped within a fifth of it after it expires
    long every = Math.max(200, idle * 1000L / 5);
    expiry.scheduleWithFixedDelay(() -> {
      try {
        connections.expireIdleResults(idle);
      } catch (RuntimeException e) {
        // the next round tries again; one broken statement must not stop the expiry
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code action} with {@code user} as the caller of every Meta method it reaches. */
  public static <T> T callAs(Credentials.User user, Supplier<T> action) {
    return CallerContext.callAs(user, null, null, action);
  }

  /** As {@link #callAs(Credentials.User, Supplier)}, for the client at {@code client} (the login back-off's key). */
  public static <T> T callAs(Credentials.User user, String client, Supplier<T> action) {
    return CallerContext.callAs(user, client, null, action);
  }

  /**
   * As {@link #callAs(Credentials.User, String, Supplier)}, with what the HTTP layer watches of
   * the client: a statement it runs stops when {@code watch} is told the client has gone.
   */
  public static <T> T callAs(Credentials.User user, String client, RequestWatch watch, Supplier<T> action) {
    return CallerContext.callAs(user, client, watch, action);
  }

  /** Whether the request {@link #callAs} last served on this thread opened a connection without any credentials. */
  public static boolean credentialsRequired() {
    return CallerContext.challenged();
  }

  /** The bytes the results held for {@code user} take now, as estimated for the memory budgets. */
  public long heldResultBytes(String user) {
    return memory.heldBy(user);
  }

  /** The number of open remote connections. */
  public int openConnections() {
    return connections.size();
  }

  /** Closes every connection; the HTTP application calls this on shutdown. */
  public void close() {
    expiry.shutdownNow();
    connections.closeAll();
    audit.close();
  }

  private RemoteConnection conn(String id) {
    return connections.get(id, CallerContext.basicUser());
  }

  private RemoteStatement stmt(StatementHandle h) throws NoSuchStatementException {
    return statements.get(conn(h.connectionId), h);
  }

  // ---- connections -------------------------------------------------------------------

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    Credentials.User user = authentication.userOf(CallerContext.basicUser(), info);
    try {
      ClientProperties.check(info);
      connections.open(ch.id, info, user, CallerContext.basicUser() != null);
    } catch (AvaticaRuntimeException e) {
      throw e; // already the client's error, with its SQLSTATE
    } catch (RuntimeException e) {
      throw errors.forUser(user, e);
    }
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    connections.close(ch.id, CallerContext.basicUser());
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties connProps) {
    RemoteConnection c = conn(ch.id);
    c.props.merge(connProps);
    if (connProps.getSchema() != null) {
      if (c.calcite.getRootSchema().subSchemas().getIgnoreCase(connProps.getSchema()) == null) {
        throw new IllegalArgumentException("schema '" + connProps.getSchema() + "' does not exist; Lode's schema is '"
            + LodeSchemaFactory.SCHEMA + "'");
      }
      try {
        c.calcite.setSchema(connProps.getSchema());
      } catch (SQLException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    if (c.props.isAutoCommit() == null) {
      c.props.setAutoCommit(true);
    }
    if (c.props.isReadOnly() == null) {
      c.props.setReadOnly(c.user.role() != Credentials.Role.ADMIN);
    }
    if (c.props.getSchema() == null) {
      c.props.setSchema(LodeSchemaFactory.SCHEMA);
    }
    c.props.setDirty(false);
    return c.props;
  }

  @Override
  public void commit(ConnectionHandle ch) {
    conn(ch.id); // auto-commit: nothing to do
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    conn(ch.id);
  }

  // ---- statements --------------------------------------------------------------------

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    return statements.create(ch.id, conn(ch.id));
  }

  @Override
  public void closeStatement(StatementHandle h) {
    RemoteConnection c = connections.find(h.connectionId, CallerContext.basicUser());
    if (c != null) {
      statements.close(c, h.id);
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String clientSql, long maxRowCount) {
    RemoteConnection c = conn(ch.id);
    String sql = StatementRewriter.withoutTrailingSemicolon(clientSql);
    int id = statements.nextId();
    RemoteStatement s = new RemoteStatement(c);
    try {
      access.check(c.user, sql);
      s.prepared = JvmJoins.checked(c.user, () -> c.inZone(() -> c.calcite.prepareStatement(
          StatementRewriter.limited(StatementRewriter.rewrite(sql), maxRowCount))));
      s.sql = sql;
      s.signature = ResultSignatures.of(s.prepared.getMetaData(), s.prepared.getParameterMetaData(), sql);
    } catch (SQLException | RuntimeException | Error e) {
      // a statement refused or broken at prepare time is audited too: it never reaches execute
      audit.refused(s, ch.id + "/" + id, sql, e);
      throw errors.forUser(c.user, e);
    }
    c.statements.put(id, s);
    return new StatementHandle(ch.id, id, s.signature);
  }

  @Override
  @SuppressWarnings("deprecation") // part of the Meta interface older clients still call
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
      throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String clientSql, long maxRowCount,
                                         int maxRowsInFirstFrame, PrepareCallback callback)
      throws NoSuchStatementException {
    RemoteConnection c = conn(h.connectionId);
    String sql = StatementRewriter.withoutTrailingSemicolon(clientSql);
    RemoteStatement s = stmt(h);
    statements.closeResult(s);
    audit.flushFor(c, sql);
    audit.begin(s, h.connectionId + "/" + h.id, sql);
    s.bound = deadline();
    try {
      access.check(c.user, sql);
    } catch (SecurityException e) {
      audit.end(s, "denied", -1, e.getMessage());
      throw errors.forUser(c.user, e);
    }
    try {
      if (s.statement == null || s.statement.isClosed()) {
        s.statement = c.calcite.createStatement();
      }
      String run = StatementRewriter.limited(StatementRewriter.rewrite(sql), maxRowCount);
      boolean hasResult = JvmJoins.checked(c.user,
          () -> timed(s, () -> c.inZone(() -> s.statement.execute(run))));
      if (!hasResult) {
        int count = s.statement.getUpdateCount();
        audit.end(s, "ok", count, "");
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
      }
      s.resultSet = s.statement.getResultSet();
      s.signature = ResultSignatures.of(s.resultSet.getMetaData(), null, sql);
      return new ExecuteResult(List.of(firstFrame(h, s, maxRowsInFirstFrame)));
    } catch (SQLException | RuntimeException | Error e) {
      audit.failed(s, e);
      throw errors.forUser(c.user, e);
    }
  }

  @Override
  @SuppressWarnings("deprecation") // part of the Meta interface older clients still call
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, -1);
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    RemoteStatement s = stmt(h);
    if (s.prepared == null) {
      throw new IllegalStateException("statement " + h.id + " was not prepared");
    }
    statements.closeResult(s);
    audit.flushFor(s.owner, s.sql);
    audit.begin(s, h.connectionId + "/" + h.id, s.sql);
    s.bound = deadline();
    try {
      bind(s, parameterValues);
      boolean hasResult = timed(s, () -> s.owner.inZone(s.prepared::execute));
      if (!hasResult) {
        int count = s.prepared.getUpdateCount();
        audit.end(s, "ok", count, "");
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
      }
      s.resultSet = s.prepared.getResultSet();
      return new ExecuteResult(List.of(firstFrame(h, s, maxRowsInFirstFrame)));
    } catch (SQLException | RuntimeException | Error e) {
      audit.failed(s, e);
      throw errors.forUser(s.owner.user, e);
    }
  }

  private static void bind(RemoteStatement s, List<TypedValue> values) throws SQLException {
    s.prepared.clearParameters();
    if (values != null) {
      java.sql.ParameterMetaData declared = s.prepared.getParameterMetaData();
      for (int i = 0; i < values.size(); i++) {
        // text bound to a TIMESTAMP or DATE (Metabase's druid-jdbc) is read as the time it writes
        TypedValue v = TemporalText.bind(values.get(i),
            i < declared.getParameterCount() ? declared.getParameterType(i + 1) : java.sql.Types.OTHER, i + 1);
        s.prepared.setObject(i + 1, v == null ? null : v.toJdbc(ResultFrames.UTC));
      }
    }
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    RemoteConnection c = conn(h.connectionId);
    RemoteStatement s = stmt(h);
    long[] counts = new long[sqlCommands.size()];
    try {
      for (int i = 0; i < counts.length; i++) {
        String sql = sqlCommands.get(i);
        audit.begin(s, h.connectionId + "/" + h.id + "#" + i, sql);
        try {
          access.check(c.user, sql);
        } catch (SecurityException e) {
          audit.end(s, "denied", -1, e.getMessage());
          throw errors.forUser(c.user, e);
        }
        s.bound = deadline();
        boolean hasResult = JvmJoins.checked(c.user,
            () -> timed(s, () -> c.inZone(() -> s.statement.execute(sql))));
        counts[i] = hasResult ? -1 : s.statement.getUpdateCount();
        audit.end(s, "ok", counts[i], "");
      }
    } catch (SQLException | RuntimeException | Error e) {
      audit.failed(s, e);
      throw errors.forUser(c.user, e);
    }
    return new ExecuteBatchResult(counts);
  }

  /** A batch sent over protobuf: Avatica's LocalService hands its parameter sets only to a ProtobufMeta. */
  @Override
  public ExecuteBatchResult executeBatchProtobuf(StatementHandle h, List<Requests.UpdateBatch> updateBatches)
      throws NoSuchStatementException {
    List<List<TypedValue>> values = new ArrayList<>(updateBatches.size());
    for (Requests.UpdateBatch batch : updateBatches) {
      List<TypedValue> row = new ArrayList<>(batch.getParameterValuesCount());
      for (Common.TypedValue v : batch.getParameterValuesList()) {
        row.add(TypedValue.fromProto(v));
      }
      values.add(row);
    }
    return executeBatch(h, values);
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    if (parameterValues == null) {
      throw new IllegalArgumentException("a batch needs its parameter values");
    }
    RemoteStatement s = stmt(h);
    if (s.prepared == null) {
      throw new IllegalStateException("statement " + h.id + " was not prepared");
    }
    long[] counts = new long[parameterValues.size()];
    statements.closeResult(s);
    // one audit entry for the batch: the statement, with the rows of every parameter set
    audit.begin(s, h.connectionId + "/" + h.id, s.sql);
    s.bound = deadline();
    try {
      long total = 0;
      for (int r = 0; r < counts.length; r++) {
        bind(s, parameterValues.get(r));
        counts[r] = timed(s, s.prepared::execute) ? -1 : s.prepared.getUpdateCount();
        total += Math.max(0, counts[r]);
      }
      audit.end(s, "ok", total, "");
    } catch (SQLException | RuntimeException | Error e) {
      audit.failed(s, e);
      throw errors.forUser(s.owner.user, e);
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    RemoteStatement s = stmt(h);
    synchronized (s) {
      if (s.rows == null) {
        if (s.dropped != null) {
          throw new AvaticaRuntimeException(s.dropped, ErrorResponse.UNKNOWN_ERROR_CODE, ClientErrors.RESULT_DROPPED,
              AvaticaSeverity.ERROR);
        }
        throw new MissingResultsException(h);
      }
      return frame(s, offset, fetchMaxRowCount <= 0 ? ResultFrames.FRAME_ROWS : fetchMaxRowCount);
    }
  }

  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return false;
  }

  @Override
  public Iterable<Object> createIterable(StatementHandle stmt, QueryState state, Signature signature,
                                         List<TypedValue> parameters, Frame firstFrame) {
    throw new UnsupportedOperationException("server-side Meta does not iterate");
  }

  /**
   * The first frame, after the whole result was read: a result over the limit — or a timeout
   * or engine error while it is read — fails the execute call, which the JDBC client reports
   * as a {@link SQLException} (an error while it fetched later frames would reach it as an
   * unchecked exception), and the connection to ClickHouse is released at once.
   */
  private MetaResultSet firstFrame(StatementHandle h, RemoteStatement s, int maxRowsInFirstFrame) throws SQLException {
    if (s.signature == null) {
      s.signature = ResultSignatures.of(s.resultSet.getMetaData(), null, null);
    }
    timed(s, () -> {
      frames.spool(s);
      return null;
    });
    int n = maxRowsInFirstFrame <= 0 ? ResultFrames.FRAME_ROWS : Math.min(maxRowsInFirstFrame, ResultFrames.FRAME_ROWS);
    return MetaResultSet.create(h.connectionId, h.id, false, s.signature, frame(s, 0, n));
  }

  private Frame frame(RemoteStatement s, long offset, int size) {
    Frame f = frames.next(s, offset, size);
    if (f.done) {
      audit.end(s, "ok", s.rowsSent, "");
    }
    return f;
  }

  /** The bound of a statement starting now. */
  private StatementDeadline deadline() {
    return new StatementDeadline(limits.timeoutSeconds());
  }

  /** A JDBC action that may throw SQLException. */
  private interface SqlAction<T> {
    T run() throws SQLException;
  }

  /**
   * Runs a step of statement {@code s} within its {@link StatementDeadline}: ClickHouse's
   * {@code max_execution_time} (set on every connection the schema opens) stops the engine's
   * part, and the rows Calcite pulls from ClickHouse look at the deadline, so JVM-side joins
   * and aggregates stop at it too (or when the statement is cancelled); either error becomes
   * a clear 57014.
   */
  private <T> T timed(RemoteStatement s, SqlAction<T> action) throws SQLException {
    s.bound.enter();
    RequestWatch watch = CallerContext.watch();
    if (watch != null) {
      watch.running(s.bound);
    }
    try {
      return action.run();
    } catch (SQLException | RuntimeException | Error e) {
      SQLException stopped = ClientErrors.stopped(e);
      if (stopped != null) {
        throw stopped;
      }
      if (s.bound.over()) {
        // cancelled while ClickHouse ran it (the engine's own error says only that it was killed)
        s.bound.throwIfOver();
      }
      if (ClientErrors.isTimeout(e)) {
        throw ClientErrors.timeout(e, limits.timeoutSeconds());
      }
      throw e;
    } finally {
      StatementDeadline.clear();
      if (watch != null) {
        watch.running(null);
      }
    }
  }

  // ---- metadata ----------------------------------------------------------------------

  private MetaResultSet metadata(ConnectionHandle ch, MetadataResults.Query query) {
    RemoteConnection c = conn(ch.id);
    try {
      return MetadataResults.read(ch.id, statements.nextId(), c.calcite.getMetaData(), query);
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    try {
      return MetadataResults.databaseProperties(conn(ch.id).calcite.getMetaData(), productVersion);
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                 List<String> typeList) {
    try {
      return MetadataResults.tables(ch.id, statements.nextId(), conn(ch.id).calcite.getMetaData(), catalog,
          schemaPattern.s, tableNamePattern.s, typeList);
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                  Pat columnNamePattern) {
    try {
      return MetadataResults.columns(ch.id, statements.nextId(), conn(ch.id).calcite.getMetaData(), catalog,
          schemaPattern.s, tableNamePattern.s, columnNamePattern.s);
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return metadata(ch, md -> md.getSchemas(catalog, schemaPattern.s));
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadata(ch, DatabaseMetaData::getCatalogs);
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    try {
      return MetadataResults.tableTypes(ch.id, statements.nextId(), conn(ch.id).calcite.getMetaData());
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadata(ch, DatabaseMetaData::getTypeInfo);
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadata(ch, md -> md.getPrimaryKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadata(ch, md -> md.getImportedKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadata(ch, md -> md.getExportedKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table, boolean unique,
                                    boolean approximate) {
    return metadata(ch, md -> md.getIndexInfo(catalog, schema, table, unique, approximate));
  }

  @Override
  public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
    return metadata(ch, md -> md.getProcedures(catalog, schemaPattern.s, procedureNamePattern.s));
  }

  @Override
  public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
    return metadata(ch, md -> md.getFunctions(catalog, schemaPattern.s, functionNamePattern.s));
  }

  @Override
  public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table,
                                           Pat columnNamePattern) {
    return metadata(ch, md -> md.getColumnPrivileges(catalog, schema, table, columnNamePattern.s));
  }

  @Override
  public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    return metadata(ch, md -> md.getTablePrivileges(catalog, schemaPattern.s, tableNamePattern.s));
  }

  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metadata(ch, DatabaseMetaData::getClientInfoProperties);
  }

  @Override
  public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                               int[] types) {
    return metadata(ch, md -> md.getUDTs(catalog, schemaPattern.s, typeNamePattern.s, types));
  }
}
