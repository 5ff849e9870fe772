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
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.config.Lex;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * The Avatica {@link org.apache.calcite.avatica.Meta} behind Lode's JDBC endpoint: each
 * remote connection is a Calcite connection over the {@code lode} schema, owned by the
 * authenticated user who opened it. It enforces the client-property allow-list, read-only
 * access for analysts and viewers, the statement timeout and the result-size limit.
 * The HTTP layer names the caller with {@link #callAs} around every request.
 */
public final class LodeMeta extends MetaImpl {
  private static final ThreadLocal<Credentials.User> CALLER = new ThreadLocal<>();
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
  private static final int FRAME_ROWS = 100;

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
    Statement statement;
    PreparedStatement prepared;
    String sql;
    Signature signature;
    ResultSet resultSet;
    long rowsSent;
  }

  private final LodeSchemaFactory schemas;
  private final SqlLimits limits;
  private final Map<String, Conn> connections = new ConcurrentHashMap<>();
  private final AtomicInteger statementIds = new AtomicInteger();
  private final StatementAccess access;

  public LodeMeta(LodeSchemaFactory schemas, SqlLimits limits) {
    super(null);
    this.schemas = schemas;
    this.limits = limits;
    this.access = new StatementAccess(parserConfig());
  }

  /** The SQL dialect clients write: double-quoted identifiers, case-insensitive names, Calcite's lenient conformance. */
  static SqlParser.Config parserConfig() {
    return SqlParser.config().withLex(Lex.JAVA).withQuoting(org.apache.calcite.avatica.util.Quoting.DOUBLE_QUOTE)
        .withCaseSensitive(false).withConformance(SqlConformanceEnum.LENIENT);
  }

  private static Properties calciteProperties() {
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("caseSensitive", "false");
    p.setProperty("conformance", "LENIENT");
    p.setProperty("timeZone", "UTC");
    p.setProperty("fun", "standard,postgresql");
    return p;
  }

  /**
   * The statement Calcite runs: BI tools' {@code DATE_TRUNC('unit', ts)} rewritten to
   * {@code FLOOR(ts TO unit)} so it is pushed down; anything else is passed through untouched.
   */
  private String rewrite(String sql) {
    if (!dev.lode.udf.TimeGrainRewriter.mayApply(sql)) {
      return sql;
    }
    try {
      org.apache.calcite.sql.SqlNode node = SqlParser.create(sql, parserConfig()).parseStmt();
      org.apache.calcite.sql.SqlNode rewritten = node.accept(new dev.lode.udf.TimeGrainRewriter());
      return rewritten.toSqlString(c -> c.withDialect(org.apache.calcite.sql.dialect.CalciteSqlDialect.DEFAULT)
          .withQuoteAllIdentifiers(true)).getSql();
    } catch (org.apache.calcite.sql.parser.SqlParseException e) {
      return sql; // Calcite reports the syntax error itself
    }
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
    closeIdleConnections();
    try {
      Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", calciteProperties());
      CalciteConnection calcite = c.unwrap(CalciteConnection.class);
      schemas.addTo(calcite.getRootSchema());
      calcite.setSchema(LodeSchemaFactory.SCHEMA);
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

  private static void closeQuietly(Conn c) {
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
    Stmt s = new Stmt();
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

  private static void closeQuietly(Stmt s) {
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
    access.check(c.user, sql);
    int id = statementIds.incrementAndGet();
    Stmt s = new Stmt();
    try {
      s.prepared = c.calcite.prepareStatement(rewrite(sql));
      s.sql = sql;
      s.signature = signature(s.prepared.getMetaData(), s.prepared.getParameterMetaData(), sql);
    } catch (SQLException e) {
      throw clientError(e);
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
    access.check(c.user, sql);
    closeResult(s);
    try {
      if (s.statement == null || s.statement.isClosed()) {
        s.statement = c.calcite.createStatement();
      }
      String run = rewrite(sql);
      boolean hasResult = timed(s.statement, () -> s.statement.execute(run));
      if (!hasResult) {
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, s.statement.getUpdateCount())));
      }
      s.resultSet = s.statement.getResultSet();
      s.signature = signature(s.resultSet.getMetaData(), null, sql);
      return new ExecuteResult(List.of(firstFrame(h, s, maxRowsInFirstFrame)));
    } catch (SQLException e) {
      throw clientError(e);
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
    try {
      s.prepared.clearParameters();
      if (parameterValues != null) {
        for (int i = 0; i < parameterValues.size(); i++) {
          TypedValue v = parameterValues.get(i);
          s.prepared.setObject(i + 1, v == null ? null : v.toJdbc(UTC));
        }
      }
      boolean hasResult = timed(s.prepared, s.prepared::execute);
      if (!hasResult) {
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, s.prepared.getUpdateCount())));
      }
      s.resultSet = s.prepared.getResultSet();
      return new ExecuteResult(List.of(firstFrame(h, s, maxRowsInFirstFrame)));
    } catch (SQLException e) {
      throw clientError(e);
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
        access.check(c.user, sqlCommands.get(i));
        String sql = sqlCommands.get(i);
        counts[i] = timed(s.statement, () -> s.statement.execute(sql)) ? -1 : s.statement.getUpdateCount();
      }
    } catch (SQLException e) {
      throw clientError(e);
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    Stmt s = stmt(h);
    long[] counts = new long[parameterValues.size()];
    try {
      for (int r = 0; r < counts.length; r++) {
        s.prepared.clearParameters();
        List<TypedValue> row = parameterValues.get(r);
        for (int i = 0; i < row.size(); i++) {
          s.prepared.setObject(i + 1, row.get(i) == null ? null : row.get(i).toJdbc(UTC));
        }
        counts[r] = timed(s.prepared, s.prepared::execute) ? -1 : s.prepared.getUpdateCount();
      }
    } catch (SQLException e) {
      throw clientError(e);
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    Stmt s = stmt(h);
    if (s.resultSet == null) {
      throw new MissingResultsException(h);
    }
    try {
      return frame(s, offset, fetchMaxRowCount <= 0 ? FRAME_ROWS : fetchMaxRowCount);
    } catch (SQLException e) {
      throw clientError(e);
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

  private void closeResult(Stmt s) {
    if (s.resultSet != null) {
      try {
        s.resultSet.close();
      } catch (SQLException ignored) {
        // replaced by the next result
      }
      s.resultSet = null;
    }
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
  private <T> T timed(Statement statement, SqlAction<T> action) throws SQLException {
    try {
      return action.run();
    } catch (SQLException | RuntimeException e) {
      if (isTimeout(e)) {
        throw new SQLException("statement timeout: the query ran longer than lode.sql.timeout-seconds="
            + limits.timeoutSeconds() + " s and was stopped; narrow the time range or aggregate more", "57014", e);
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

  /** A client-facing error: the deepest meaningful message, without Java stack noise. */
  private static RuntimeException clientError(SQLException e) {
    if (Boolean.getBoolean("lode.sql.trace")) {
      e.printStackTrace();
    }
    if (e.getMessage() != null && e.getMessage().startsWith("statement timeout")) {
      return new IllegalStateException(e.getMessage(), e);
    }
    String message = e.getMessage();
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof SecurityException
          || t.getClass().getName().endsWith("CalciteContextException")) {
        message = t.getMessage();
      }
    }
    return new IllegalStateException(message, e);
  }

  // ---- results -----------------------------------------------------------------------

  private MetaResultSet firstFrame(StatementHandle h, Stmt s, int maxRowsInFirstFrame) throws SQLException {
    Signature sig = s.signature != null ? s.signature : signature(s.resultSet.getMetaData(), null, null);
    s.signature = sig;
    int n = maxRowsInFirstFrame <= 0 ? FRAME_ROWS : Math.min(maxRowsInFirstFrame, FRAME_ROWS);
    return MetaResultSet.create(h.connectionId, h.id, false, sig, frame(s, 0, n));
  }

  private Frame frame(Stmt s, long offset, int maxRows) throws SQLException {
    ResultSet rs = s.resultSet;
    int[] types = types(rs.getMetaData());
    List<Object> rows = new ArrayList<>();
    boolean done = false;
    while (rows.size() < maxRows) {
      if (!rs.next()) {
        done = true;
        break;
      }
      if (++s.rowsSent > limits.maxRows()) {
        rs.close();
        throw new SQLException("result too large: more than lode.sql.max-rows=" + limits.maxRows()
            + " rows; add a LIMIT, a WHERE clause or aggregate", "54000");
      }
      rows.add(row(rs, types));
    }
    if (done) {
      rs.close();
      s.resultSet = null;
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
    connections.values().forEach(LodeMeta::closeQuietly);
    connections.clear();
  }

}
