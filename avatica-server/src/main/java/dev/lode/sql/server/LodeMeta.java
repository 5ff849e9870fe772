package dev.lode.sql.server;

import dev.lode.config.Credentials;
import dev.lode.sql.schema.LodeSchemaFactory;
import java.lang.reflect.InvocationTargetException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * The Avatica {@link org.apache.calcite.avatica.Meta} behind Lode's JDBC endpoint: each
 * remote connection is a Calcite connection over the schemas of its user's role (admins the
 * warehouse and {@code audit}; analysts and viewers schemas over masked databases, chosen
 * here and never by the client), owned by the authenticated user who opened it. It enforces
 * the client-property allow-list, read-only access for analysts and viewers, the statement
 * timeout and the result-size limit, and records every statement in the {@link QueryAuditLog}.
 * The HTTP layer names the caller with {@link #callAs} around every request.
 */
public final class LodeMeta extends MetaImpl implements org.apache.calcite.avatica.remote.ProtobufMeta {
  private static final ThreadLocal<Credentials.User> CALLER = new ThreadLocal<>();
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
  private static final int FRAME_ROWS = 100;
  /** SQLSTATE of a result over {@code lode.sql.max-rows} (program limit exceeded). */
  static final String RESULT_TOO_LARGE = "54000";
  /** SQLSTATE of a statement stopped at {@code lode.sql.timeout-seconds} (query canceled). */
  static final String TIMEOUT = "57014";

  /** One remote connection. */
  private static final class Conn {
    final Credentials.User user;
    final CalciteConnection calcite;
    final ConnectionPropertiesImpl props = new ConnectionPropertiesImpl();
    final Map<Integer, Stmt> statements = new ConcurrentHashMap<>();
    volatile long lastUsed = System.nanoTime();

    Conn(Credentials.User user, CalciteConnection calcite) {
      this.user = user;
      this.calcite = calcite;
    }
  }

  /** One statement and the result it is being fetched from. */
  private static final class Stmt {
    final Conn owner;
    Statement statement;
    PreparedStatement prepared;
    String sql;
    Signature signature;
    ResultSet resultSet;
    /** The result, read in full when the statement ran; frames are served from it. */
    List<Object> rows;
    long rowsSent;
    /** The statement being audited: set when it starts, cleared when its audit entry is written. */
    String auditSql;
    java.time.Instant auditStart;
    String auditId;

    Stmt(Conn owner) {
      this.owner = owner;
    }
  }

  private final Map<Credentials.Role, List<LodeSchemaFactory>> schemas;
  private final SqlLimits limits;
  private final QueryAuditLog audit;
  private final java.util.function.UnaryOperator<String> redactor;
  private final Map<String, Conn> connections = new ConcurrentHashMap<>();
  private final AtomicInteger statementIds = new AtomicInteger();
  private final StatementAccess access;

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
    this(schemas, limits, audit, java.util.function.UnaryOperator.identity());
  }

  /**
   * @param redactor applied to every error message a non-admin receives (which then carries no
   *                 cause): engine errors can quote the masked views' definitions
   */
  public LodeMeta(Map<Credentials.Role, List<LodeSchemaFactory>> schemas, SqlLimits limits, QueryAuditLog audit,
                  java.util.function.UnaryOperator<String> redactor) {
    super(null);
    this.redactor = redactor;
    this.schemas = Map.copyOf(schemas);
    this.limits = limits;
    this.audit = audit;
    this.access = new StatementAccess(parserConfig());
  }

  /** The SQL dialect clients write ({@link dev.lode.udf.LodeSqlSyntax}). */
  static SqlParser.Config parserConfig() {
    return dev.lode.udf.LodeSqlSyntax.parserConfig();
  }

  private static Properties calciteProperties() {
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("caseSensitive", "false");
    p.setProperty("conformance", "LENIENT");
    p.setProperty("parserFactory", dev.lode.udf.LodeSqlSyntax.PARSER_FACTORY);
    p.setProperty("timeZone", "UTC");
    p.setProperty("fun", "standard,postgresql");
    return p;
  }

  /**
   * The statement Calcite runs: BI tools' {@code DATE_TRUNC('unit', ts)} rewritten to
   * {@code FLOOR(ts TO unit)} so it is pushed down; anything else is passed through untouched.
   */
  private String rewrite(String sql) {
    return dev.lode.udf.TimeGrainRewriter.rewrite(sql, parserConfig());
  }

  /** Runs {@code action} with {@code user} as the caller of every Meta method it reaches. */
  public static <T> T callAs(Credentials.User user, java.util.function.Supplier<T> action) {
    Credentials.User previous = CALLER.get();
    CALLER.set(user);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        CALLER.remove();
      } else {
        CALLER.set(previous);
      }
    }
  }

  private static Credentials.User caller() {
    Credentials.User u = CALLER.get();
    if (u == null) {
      throw new SecurityException("not authenticated");
    }
    return u;
  }

  private Conn conn(String id) {
    Conn c = connections.get(id);
    if (c == null) {
      throw new IllegalStateException(new NoSuchConnectionException(id));
    }
    if (!c.user.name().equals(caller().name())) {
      // a connection id is not a credential: only its owner may use it
      throw new SecurityException("connection " + id + " belongs to another user");
    }
    c.lastUsed = System.nanoTime();
    return c;
  }

  private Stmt stmt(StatementHandle h) throws NoSuchStatementException {
    Stmt s = conn(h.connectionId).statements.get(h.id);
    if (s == null) {
      throw new NoSuchStatementException(h);
    }
    return s;
  }

  /** The number of open remote connections. */
  public int openConnections() {
    return connections.size();
  }

  // ---- connections -------------------------------------------------------------------

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    Credentials.User user = caller();
    ClientProperties.check(info);
    List<LodeSchemaFactory> mine = schemas.get(user.role());
    if (mine == null || mine.isEmpty()) {
      throw new SecurityException("user '" + user.name() + "' (role " + user.role().name().toLowerCase(Locale.ROOT)
          + ") may not use SQL");
    }
    closeIdleConnections();
    try {
      Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", calciteProperties());
      CalciteConnection calcite = c.unwrap(CalciteConnection.class);
      // the role decides the schemas; the client's properties never reach this choice
      for (LodeSchemaFactory f : mine) {
        f.addTo(calcite.getRootSchema());
      }
      calcite.setSchema(mine.get(0).name());
      Conn previous = connections.putIfAbsent(ch.id, new Conn(user, calcite));
      if (previous != null) {
        calcite.close();
        throw new IllegalStateException("connection " + ch.id + " is already open");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a SQL connection: " + e.getMessage(), e);
    }
  }

  /** Closes connections a client abandoned (no request for 30 minutes). */
  private void closeIdleConnections() {
    long cutoff = System.nanoTime() - TimeUnit.MINUTES.toNanos(30);
    connections.entrySet().removeIf(e -> {
      if (e.getValue().lastUsed < cutoff) {
        closeQuietly(e.getValue());
        return true;
      }
      return false;
    });
  }

  private void closeQuietly(Conn c) {
    c.statements.values().forEach(this::closeQuietly);
    try {
      c.calcite.close();
    } catch (SQLException ignored) {
      // the connection is gone either way
    }
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    Conn c = connections.get(ch.id);
    if (c != null && c.user.name().equals(caller().name())) {
      connections.remove(ch.id);
      closeQuietly(c);
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties connProps) {
    Conn c = conn(ch.id);
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
    Conn c = conn(ch.id);
    int id = statementIds.incrementAndGet();
    Stmt s = new Stmt(c);
    try {
      s.statement = c.calcite.createStatement();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    c.statements.put(id, s);
    return new StatementHandle(ch.id, id, null);
  }

  @Override
  public void closeStatement(StatementHandle h) {
    Conn c = connections.get(h.connectionId);
    if (c == null || !c.user.name().equals(caller().name())) {
      return;
    }
    Stmt s = c.statements.remove(h.id);
    if (s != null) {
      closeQuietly(s);
    }
  }

  private void closeQuietly(Stmt s) {
    endAudit(s, "ok", s.rowsSent, "");
    s.rows = null;
    try {
      if (s.resultSet != null) {
        s.resultSet.close();
      }
      if (s.statement != null) {
        s.statement.close();
      }
      if (s.prepared != null) {
        s.prepared.close();
      }
    } catch (SQLException ignored) {
      // closing is best effort
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    Conn c = conn(ch.id);
    int id = statementIds.incrementAndGet();
    Stmt s = new Stmt(c);
    try {
      access.check(c.user, sql);
      s.prepared = c.calcite.prepareStatement(rewrite(sql));
      s.sql = sql;
      s.signature = signature(s.prepared.getMetaData(), s.prepared.getParameterMetaData(), sql);
    } catch (SQLException | RuntimeException e) {
      // a statement refused or broken at prepare time is audited too: it never reaches execute
      beginAudit(s, ch.id + "/" + id, sql);
      endAudit(s, e instanceof SecurityException ? "denied" : "failed", -1, e.getMessage());
      throw userError(c, e);
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
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                         PrepareCallback callback) throws NoSuchStatementException {
    Conn c = conn(h.connectionId);
    Stmt s = stmt(h);
    closeResult(s);
    flushAuditFor(c);
    beginAudit(s, h.connectionId + "/" + h.id, sql);
    try {
      access.check(c.user, sql);
    } catch (SecurityException e) {
      endAudit(s, "denied", -1, e.getMessage());
      throw userError(c, e);
    }
    try {
      if (s.statement == null || s.statement.isClosed()) {
        s.statement = c.calcite.createStatement();
      }
      String run = rewrite(sql);
      boolean hasResult = timed(() -> s.statement.execute(run));
      if (!hasResult) {
        int count = s.statement.getUpdateCount();
        endAudit(s, "ok", count, "");
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
      }
      s.resultSet = s.statement.getResultSet();
      s.signature = signature(s.resultSet.getMetaData(), null, sql);
      return new ExecuteResult(List.of(firstFrame(h, s, maxRowsInFirstFrame)));
    } catch (SQLException | RuntimeException e) {
      endAudit(s, "failed", -1, e.getMessage());
      throw userError(s.owner, e);
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
    Stmt s = stmt(h);
    if (s.prepared == null) {
      throw new IllegalStateException("statement " + h.id + " was not prepared");
    }
    closeResult(s);
    flushAuditFor(s.owner);
    beginAudit(s, h.connectionId + "/" + h.id, s.sql);
    try {
      s.prepared.clearParameters();
      if (parameterValues != null) {
        java.sql.ParameterMetaData declared = s.prepared.getParameterMetaData();
        for (int i = 0; i < parameterValues.size(); i++) {
          TypedValue v = TemporalText.bind(parameterValues.get(i),
              i < declared.getParameterCount() ? declared.getParameterType(i + 1) : java.sql.Types.OTHER, i + 1);
          s.prepared.setObject(i + 1, v == null ? null : v.toJdbc(UTC));
        }
      }
      boolean hasResult = timed(s.prepared::execute);
      if (!hasResult) {
        int count = s.prepared.getUpdateCount();
        endAudit(s, "ok", count, "");
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
      }
      s.resultSet = s.prepared.getResultSet();
      return new ExecuteResult(List.of(firstFrame(h, s, maxRowsInFirstFrame)));
    } catch (SQLException | RuntimeException e) {
      endAudit(s, "failed", -1, e.getMessage());
      throw userError(s.owner, e);
    }
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    Conn c = conn(h.connectionId);
    Stmt s = stmt(h);
    long[] counts = new long[sqlCommands.size()];
    try {
      for (int i = 0; i < counts.length; i++) {
        String sql = sqlCommands.get(i);
        beginAudit(s, h.connectionId + "/" + h.id + "#" + i, sql);
        try {
          access.check(c.user, sql);
        } catch (SecurityException e) {
          endAudit(s, "denied", -1, e.getMessage());
          throw userError(c, e);
        }
        counts[i] = timed(() -> s.statement.execute(sql)) ? -1 : s.statement.getUpdateCount();
        endAudit(s, "ok", counts[i], "");
      }
    } catch (SQLException | RuntimeException e) {
      endAudit(s, "failed", -1, e.getMessage());
      throw userError(c, e);
    }
    return new ExecuteBatchResult(counts);
  }

  /** A batch sent over protobuf: Avatica's LocalService hands its parameter sets only to a ProtobufMeta. */
  @Override
  public ExecuteBatchResult executeBatchProtobuf(StatementHandle h,
      List<org.apache.calcite.avatica.proto.Requests.UpdateBatch> updateBatches) throws NoSuchStatementException {
    List<List<TypedValue>> values = new ArrayList<>(updateBatches.size());
    for (org.apache.calcite.avatica.proto.Requests.UpdateBatch batch : updateBatches) {
      List<TypedValue> row = new ArrayList<>(batch.getParameterValuesCount());
      for (org.apache.calcite.avatica.proto.Common.TypedValue v : batch.getParameterValuesList()) {
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
    Stmt s = stmt(h);
    if (s.prepared == null) {
      throw new IllegalStateException("statement " + h.id + " was not prepared");
    }
    long[] counts = new long[parameterValues.size()];
    closeResult(s);
    // one audit entry for the batch: the statement, with the rows of every parameter set
    beginAudit(s, h.connectionId + "/" + h.id, s.sql);
    try {
      long total = 0;
      for (int r = 0; r < counts.length; r++) {
        s.prepared.clearParameters();
        List<TypedValue> row = parameterValues.get(r);
        for (int i = 0; i < row.size(); i++) {
          s.prepared.setObject(i + 1, row.get(i) == null ? null : row.get(i).toJdbc(UTC));
        }
        counts[r] = timed(s.prepared::execute) ? -1 : s.prepared.getUpdateCount();
        total += Math.max(0, counts[r]);
      }
      endAudit(s, "ok", total, "");
    } catch (SQLException | RuntimeException e) {
      endAudit(s, "failed", -1, e.getMessage());
      throw userError(s.owner, e);
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    Stmt s = stmt(h);
    if (s.rows == null) {
      throw new MissingResultsException(h);
    }
    return frame(s, offset, fetchMaxRowCount <= 0 ? FRAME_ROWS : fetchMaxRowCount);
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

  private void closeResult(Stmt s) {
    endAudit(s, "ok", s.rowsSent, "");
    if (s.resultSet != null) {
      try {
        s.resultSet.close();
      } catch (SQLException ignored) {
        // replaced by the next result
      }
      s.resultSet = null;
    }
    s.rows = null;
    s.rowsSent = 0;
  }

  /** A JDBC action that may throw SQLException. */
  private interface SqlAction<T> {
    T run() throws SQLException;
  }

  /**
   * Runs a statement; ClickHouse's {@code max_execution_time} (set on every connection the
   * schema opens) stops the engine's part at the limit, and its error becomes a clear one.
   * (A JVM-side watchdog was tried and dropped: cancelling Calcite mid-plan on a loaded
   * machine failed healthy queries.)
   */
  private <T> T timed(SqlAction<T> action) throws SQLException {
    try {
      return action.run();
    } catch (SQLException | RuntimeException e) {
      if (isTimeout(e)) {
        throw new SQLException("statement timeout: the query ran longer than lode.sql.timeout-seconds="
            + limits.timeoutSeconds() + " s and was stopped; narrow the time range or aggregate more", TIMEOUT, e);
      }
      throw e;
    }
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("TIMEOUT_EXCEEDED") || m.contains("Code: 159.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The error a user receives, as an Avatica error carrying a SQLSTATE (the JDBC client raises
   * it as a {@link SQLException}): the message names what was wrong — the limit that was hit,
   * the syntax or validation error, the invalid argument, or ClickHouse's own reason. Admins
   * also get the chain of causes (with the generated ClickHouse SQL); others get the message
   * redacted, since engine errors can quote the masked views' definitions.
   */
  private RuntimeException userError(Conn c, Throwable e) {
    if (e instanceof SecurityException se) {
      // a refused statement (read-only SQL, a role's limits): SQLSTATE 42501, insufficient privilege
      return new AvaticaRuntimeException(se.getMessage(), ErrorResponse.UNKNOWN_ERROR_CODE, "42501",
          AvaticaSeverity.ERROR);
    }
    if (Boolean.getBoolean("lode.sql.trace")) {
      e.printStackTrace();
    }
    String message = clientMessage(e);
    if (c.user.role() == Credentials.Role.ADMIN) {
      StringBuilder chain = new StringBuilder(message);
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.append("\n  caused by ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
      }
      message = chain.toString();
    } else {
      message = redactor.apply(message);
    }
    return new AvaticaRuntimeException(message, ErrorResponse.UNKNOWN_ERROR_CODE, sqlState(e), AvaticaSeverity.ERROR);
  }

  /** A metadata request's error (its message has no user data to redact). */
  private static RuntimeException clientError(SQLException e) {
    return new AvaticaRuntimeException(clientMessage(e), ErrorResponse.UNKNOWN_ERROR_CODE, sqlState(e),
        AvaticaSeverity.ERROR);
  }

  /** The deepest meaningful message of {@code e}, without Java stack noise. */
  static String clientMessage(Throwable e) {
    if (e instanceof SQLException se && (TIMEOUT.equals(se.getSQLState()) || RESULT_TOO_LARGE.equals(se.getSQLState()))) {
      return se.getMessage();
    }
    String message = e.getMessage();
    String engine = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof IllegalArgumentException || t instanceof SecurityException
          || t.getClass().getName().endsWith("CalciteContextException")) {
        message = m;
      } else if (t instanceof org.apache.calcite.sql.parser.SqlParseException) {
        message = "SQL syntax error: " + m.lines().findFirst().orElse(m);
      } else if (m.contains("DB::Exception:") && engine == null) {
        engine = m;
      }
    }
    if (engine != null) {
      // the engine's reason, without its query id and internal plan expressions
      String reason = engine.replaceAll("\\s*\\(queryId=.*", "").replaceAll(": while executing '.*'(?=\\.\\s*\\([A-Z_]+\\))", "").trim();
      return "ClickHouse could not run the query: " + reason;
    }
    return message;
  }

  /** The SQLSTATE of an error: limits and timeouts, syntax, validation, invalid argument, else a general error. */
  static String sqlState(Throwable e) {
    String state = "HY000";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && (TIMEOUT.equals(se.getSQLState()) || RESULT_TOO_LARGE.equals(se.getSQLState()))) {
        return se.getSQLState();
      }
      if (t instanceof org.apache.calcite.sql.parser.SqlParseException) {
        return "42601";
      }
      if (t.getClass().getName().endsWith("CalciteContextException")) {
        state = "42000";
      } else if (t instanceof IllegalArgumentException && state.equals("HY000")) {
        state = "22023";
      }
    }
    return state;
  }

  // ---- results -----------------------------------------------------------------------

  /**
   * Reads the whole result (at most {@code lode.sql.max-rows} rows) before answering the
   * execute request, so a result over the limit — or a timeout or engine error while it is
   * read — fails the execute call, which the JDBC client reports as a {@link SQLException};
   * an error while the client fetches later frames would reach it as an unchecked exception.
   * The connection to ClickHouse is released as soon as the result is read.
   */
  private MetaResultSet firstFrame(StatementHandle h, Stmt s, int maxRowsInFirstFrame) throws SQLException {
    Signature sig = s.signature != null ? s.signature : signature(s.resultSet.getMetaData(), null, null);
    s.signature = sig;
    timed(() -> spool(s));
    int n = maxRowsInFirstFrame <= 0 ? FRAME_ROWS : Math.min(maxRowsInFirstFrame, FRAME_ROWS);
    return MetaResultSet.create(h.connectionId, h.id, false, sig, frame(s, 0, n));
  }

  private Void spool(Stmt s) throws SQLException {
    try (ResultSet rs = s.resultSet) {
      s.resultSet = null;
      int[] types = types(rs.getMetaData());
      List<Object> rows = new ArrayList<>();
      while (rs.next()) {
        if (rows.size() >= limits.maxRows()) {
          throw new SQLException("result too large: more than lode.sql.max-rows=" + limits.maxRows()
              + " rows; add a LIMIT, a WHERE clause or aggregate", RESULT_TOO_LARGE);
        }
        rows.add(row(rs, types));
      }
      s.rows = rows;
      return null;
    }
  }

  private Frame frame(Stmt s, long offset, int maxRows) {
    List<Object> all = s.rows;
    int from = (int) s.rowsSent;
    int to = (int) Math.min(all.size(), from + (long) maxRows);
    List<Object> rows = new ArrayList<>(all.subList(from, to));
    s.rowsSent = to;
    boolean done = to == all.size();
    if (done) {
      s.rows = null;
      endAudit(s, "ok", s.rowsSent, "");
    }
    return new Frame(offset, done, rows);
  }

  private static int[] types(ResultSetMetaData md) throws SQLException {
    int[] types = new int[md.getColumnCount()];
    for (int i = 0; i < types.length; i++) {
      types[i] = md.getColumnType(i + 1);
    }
    return types;
  }

  private static Object[] row(ResultSet rs, int[] types) throws SQLException {
    Object[] row = new Object[types.length];
    for (int j = 0; j < types.length; j++) {
      row[j] = value(rs, types[j], j + 1);
    }
    return row;
  }

  /** A column value in the representation Avatica's frames carry (dates as days, timestamps as epoch ms). */
  private static Object value(ResultSet rs, int type, int i) throws SQLException {
    Object v;
    switch (type) {
      case Types.BIGINT -> v = rs.getLong(i);
      case Types.INTEGER -> v = rs.getInt(i);
      case Types.SMALLINT -> v = rs.getShort(i);
      case Types.TINYINT -> v = rs.getByte(i);
      case Types.DOUBLE, Types.FLOAT -> v = rs.getDouble(i);
      case Types.REAL -> v = rs.getFloat(i);
      case Types.BOOLEAN -> v = rs.getBoolean(i);
      case Types.DATE -> {
        java.sql.Date d = rs.getDate(i, UTC);
        v = d == null ? null : (int) Math.floorDiv(d.getTime(), 86_400_000L);
      }
      case Types.TIME -> {
        java.sql.Time t = rs.getTime(i, UTC);
        v = t == null ? null : (int) Math.floorMod(t.getTime(), 86_400_000L);
      }
      case Types.TIMESTAMP -> {
        java.sql.Timestamp t = rs.getTimestamp(i, UTC);
        v = t == null ? null : t.getTime();
      }
      case Types.ARRAY -> {
        Array a = rs.getArray(i);
        v = a == null ? null : arrayValues(a.getArray());
      }
      case Types.OTHER, Types.JAVA_OBJECT, Types.STRUCT -> {
        Object o = rs.getObject(i);
        v = o == null ? null : String.valueOf(o);
      }
      default -> v = rs.getObject(i);
    }
    return rs.wasNull() ? null : v;
  }

  private static List<Object> arrayValues(Object array) {
    List<Object> out = new ArrayList<>();
    int n = java.lang.reflect.Array.getLength(array);
    for (int k = 0; k < n; k++) {
      Object o = java.lang.reflect.Array.get(array, k);
      out.add(o == null || o instanceof Number || o instanceof String || o instanceof Boolean ? o : String.valueOf(o));
    }
    return out;
  }

  static Signature signature(ResultSetMetaData md, ParameterMetaData pmd, String sql) throws SQLException {
    List<ColumnMetaData> columns = new ArrayList<>();
    if (md != null) {
      for (int i = 1; i <= md.getColumnCount(); i++) {
        int type = md.getColumnType(i);
        String typeName = md.getColumnTypeName(i);
        if (type == Types.OTHER || type == Types.JAVA_OBJECT || type == Types.STRUCT) {
          type = Types.VARCHAR; // maps and structs travel as their text form
          typeName = "VARCHAR";
        }
        SqlType sqlType = SqlType.valueOf(type);
        ColumnMetaData.Rep rep = ColumnMetaData.Rep.of(sqlType.internal);
        ColumnMetaData.AvaticaType t = type == Types.ARRAY
            ? ColumnMetaData.array(ColumnMetaData.scalar(Types.JAVA_OBJECT, "ANY", ColumnMetaData.Rep.OBJECT), typeName,
                ColumnMetaData.Rep.ARRAY)
            : ColumnMetaData.scalar(type, typeName, rep);
        columns.add(new ColumnMetaData(i - 1, false, true, true, false, md.isNullable(i), md.isSigned(i),
            md.getColumnDisplaySize(i), md.getColumnLabel(i), md.getColumnName(i), md.getSchemaName(i),
            md.getPrecision(i), md.getScale(i), md.getTableName(i), md.getCatalogName(i), t, true, false, false,
            type == Types.VARCHAR ? String.class.getName() : md.getColumnClassName(i)));
      }
    }
    List<AvaticaParameter> params = new ArrayList<>();
    if (pmd != null) {
      for (int i = 1; i <= pmd.getParameterCount(); i++) {
        params.add(new AvaticaParameter(pmd.isSigned(i), pmd.getPrecision(i), pmd.getScale(i),
            pmd.getParameterType(i), pmd.getParameterTypeName(i), pmd.getParameterClassName(i), "?" + i));
      }
    }
    return Signature.create(columns, sql, params, CursorFactory.LIST, StatementType.SELECT);
  }

  // ---- metadata ----------------------------------------------------------------------

  /** A fully read metadata result, sent in one frame. */
  private MetaResultSet metadata(ConnectionHandle ch, SqlAction<ResultSet> query) {
    conn(ch.id);
    int id = statementIds.incrementAndGet();
    try (ResultSet rs = query.run()) {
      Signature sig = signature(rs.getMetaData(), null, null);
      int[] types = types(rs.getMetaData());
      List<Object> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(row(rs, types));
      }
      return MetaResultSet.create(ch.id, id, true, sig, new Frame(0, true, rows));
    } catch (SQLException e) {
      throw clientError(e);
    }
  }

  private DatabaseMetaData md(ConnectionHandle ch) throws SQLException {
    return conn(ch.id).calcite.getMetaData();
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    Map<DatabaseProperty, Object> out = new EnumMap<>(DatabaseProperty.class);
    try {
      DatabaseMetaData md = md(ch);
      for (DatabaseProperty p : DatabaseProperty.values()) {
        if (p.isJdbc) {
          try {
            out.put(p, p.method.invoke(md));
          } catch (IllegalAccessException | InvocationTargetException e) {
            // leave the client's default for this property
          }
        }
      }
    } catch (SQLException e) {
      throw clientError(e);
    }
    out.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Lode");
    return out;
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                 List<String> typeList) {
    return metadata(ch, () -> md(ch).getTables(catalog, schemaPattern.s, tableNamePattern.s,
        typeList == null ? null : typeList.toArray(new String[0])));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                  Pat columnNamePattern) {
    return metadata(ch, () -> md(ch).getColumns(catalog, schemaPattern.s, tableNamePattern.s, columnNamePattern.s));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return metadata(ch, () -> md(ch).getSchemas(catalog, schemaPattern.s));
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadata(ch, () -> md(ch).getCatalogs());
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadata(ch, () -> md(ch).getTableTypes());
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadata(ch, () -> md(ch).getTypeInfo());
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadata(ch, () -> md(ch).getPrimaryKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadata(ch, () -> md(ch).getImportedKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return metadata(ch, () -> md(ch).getExportedKeys(catalog, schema, table));
  }

  @Override
  public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table, boolean unique,
                                    boolean approximate) {
    return metadata(ch, () -> md(ch).getIndexInfo(catalog, schema, table, unique, approximate));
  }

  @Override
  public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
    return metadata(ch, () -> md(ch).getProcedures(catalog, schemaPattern.s, procedureNamePattern.s));
  }

  @Override
  public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
    return metadata(ch, () -> md(ch).getFunctions(catalog, schemaPattern.s, functionNamePattern.s));
  }

  @Override
  public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table,
                                           Pat columnNamePattern) {
    return metadata(ch, () -> md(ch).getColumnPrivileges(catalog, schema, table, columnNamePattern.s));
  }

  @Override
  public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    return metadata(ch, () -> md(ch).getTablePrivileges(catalog, schemaPattern.s, tableNamePattern.s));
  }

  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return metadata(ch, () -> md(ch).getClientInfoProperties());
  }

  @Override
  public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern,
                               int[] types) {
    return metadata(ch, () -> md(ch).getUDTs(catalog, schemaPattern.s, typeNamePattern.s, types));
  }

  /** Closes every connection; the HTTP application calls this on shutdown. */
  public void close() {
    connections.values().forEach(this::closeQuietly);
    connections.clear();
    if (audit != null) {
      audit.close();
    }
  }

  // ---- audit -------------------------------------------------------------------------

  private void beginAudit(Stmt s, String id, String sql) {
    s.auditId = id;
    s.auditSql = sql;
    s.auditStart = java.time.Instant.now();
  }

  /** Writes the audit entry of the statement running on {@code s}, once. */
  private void endAudit(Stmt s, String status, long rows, String error) {
    if (s.auditSql == null) {
      return;
    }
    if (audit != null) {
      Credentials.User u = s.owner.user;
      audit.record(new QueryAuditLog.Entry(s.auditId, u.name(), u.role().name().toLowerCase(Locale.ROOT),
          s.auditStart, java.time.Instant.now(), s.auditSql, rows, status, error == null ? "" : error));
    }
    s.auditSql = null;
  }

  /** Before an admin's statement the log is written out, so what an admin reads of it is complete. */
  private void flushAuditFor(Conn c) {
    if (audit != null && c.user.role() == Credentials.Role.ADMIN) {
      try {
        audit.flush();
      } catch (SQLException | RuntimeException e) {
        // the entries stay queued and the writer retries (and logs); the statement still runs
      }
    }
  }

}
