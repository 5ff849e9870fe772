package dev.lode.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.remote.AuthenticationType;

/**
 * One connection to a running server's Avatica endpoint spoken in Avatica's documented JSON
 * protocol ({@code openConnection}, {@code prepare}, {@code execute}, {@code fetch},
 * {@code closeConnection}) over {@link JdkAvaticaClient}, with Jackson's streaming parser: a
 * statement from a script needs none of the Avatica driver, protobuf or data binding, whose
 * start cost more than the statement. Requests share one kept-alive HTTP connection.
 */
final class AvaticaJsonSession implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private final JdkAvaticaClient http;
  private final String connectionId;

  /** An Avatica error answer: the server's message, SQLSTATE and error code. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    /** The server's own error message when the server answered with an error, else null (a protocol problem). */
    private final String serverMessage;

    Failure(String message) {
      this(message, null);
    }

    Failure(String message, String serverMessage) {
      super(message);
      this.serverMessage = serverMessage;
    }

    /** Whether the server refused or failed the request (rather than answering something unreadable). */
    boolean fromServer() {
      return serverMessage != null;
    }

    /** The server's message, as Avatica's driver quotes it after {@code Remote driver error: }. */
    String serverMessage() {
      return serverMessage;
    }
  }

  /** A prepared statement: its id, column signature and statement type (SELECT, …). */
  record Prepared(int id, List<Map<String, Object>> columns, String statementType) {
  }

  /** One frame of rows and whether it is the last. */
  record Frame(long offset, boolean done, List<List<Object>> rows) {
  }

  /** Opens a connection as {@code user} to the endpoint under {@code serverUrl}. */
  AvaticaJsonSession(String serverUrl, String user, String password) throws Failure {
    try {
      http = new JdkAvaticaClient(URI.create(serverUrl + "/avatica").toURL());
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException("server url " + serverUrl + ": " + e.getMessage(), e);
    }
    http.setUsernamePassword(AuthenticationType.BASIC, user, password);
    // unique per process and moment; the server ties it to this user besides
    connectionId = "lode-sql-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
    call(g -> {
      g.writeStringField("request", "openConnection");
      g.writeStringField("connectionId", connectionId);
      g.writeObjectFieldStart("info");
      g.writeEndObject();
    });
  }

  /** Prepares {@code sql} without running it. */
  @SuppressWarnings("unchecked")
  Prepared prepare(String sql) throws Failure {
    Map<String, Object> r = call(g -> {
      g.writeStringField("request", "prepare");
      g.writeStringField("connectionId", connectionId);
      g.writeStringField("sql", sql);
      g.writeNumberField("maxRowCount", -1);
    });
    Map<String, Object> statement = (Map<String, Object>) r.get("statement");
    Map<String, Object> signature = (Map<String, Object>) statement.get("signature");
    return new Prepared((int) ((JsonNumber) statement.get("id")).longValue(), (List<Map<String, Object>>) signature.get("columns"),
        (String) signature.get("statementType"));
  }

  /** Runs a prepared statement; its first frame of rows. */
  @SuppressWarnings("unchecked")
  Frame execute(Prepared p) throws Failure {
    Map<String, Object> r = call(g -> {
      g.writeStringField("request", "execute");
      g.writeObjectFieldStart("statementHandle");
      g.writeStringField("connectionId", connectionId);
      g.writeNumberField("id", p.id());
      g.writeEndObject();
      g.writeArrayFieldStart("parameterValues");
      g.writeEndArray();
      g.writeNumberField("maxRowCount", -1);
    });
    List<Object> results = (List<Object>) r.get("results");
    if (results == null || results.size() != 1) {
      throw new Failure("the server answered " + (results == null ? "no" : results.size()) + " results");
    }
    return frame((Map<String, Object>) ((Map<String, Object>) results.get(0)).get("firstFrame"));
  }

  /** The frame of rows from {@code offset} on. */
  @SuppressWarnings("unchecked")
  Frame fetch(Prepared p, long offset) throws Failure {
    Map<String, Object> r = call(g -> {
      g.writeStringField("request", "fetch");
      g.writeStringField("connectionId", connectionId);
      g.writeNumberField("statementId", p.id());
      g.writeNumberField("offset", offset);
      g.writeNumberField("fetchMaxRowCount", -1);
    });
    return frame((Map<String, Object>) r.get("frame"));
  }

  @SuppressWarnings("unchecked")
  private static Frame frame(Map<String, Object> f) {
    if (f == null) {
      return new Frame(0, true, List.of());
    }
    Object rows = f.get("rows");
    return new Frame(((JsonNumber) f.get("offset")).longValue(), Boolean.TRUE.equals(f.get("done")),
        rows == null ? List.of() : (List<List<Object>>) rows);
  }

  /** Closes the connection, and with it its statements. */
  @Override
  public void close() throws Failure {
    call(g -> {
      g.writeStringField("request", "closeConnection");
      g.writeStringField("connectionId", connectionId);
    });
  }

  /** Writes one request's fields. */
  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private Map<String, Object> call(Fields fields) throws Failure {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(body)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> r = parse(http.send(body.toByteArray()));
    if ("error".equals(r.get("response"))) {
      throw new Failure(r.get("errorMessage") + " (SQLSTATE " + r.get("sqlState") + ")",
          String.valueOf(r.get("errorMessage")));
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(byte[] answer) {
    try (JsonParser p = JSON.createParser(answer)) {
      Object v = read(p, p.nextToken());
      if (!(v instanceof Map)) {
        throw new IllegalStateException("the server's answer is not a JSON object");
      }
      return (Map<String, Object>) v;
    } catch (IOException e) {
      throw new UncheckedIOException("the server's answer is not JSON: " + e.getMessage(), e);
    }
  }

  /** The value starting at {@code t}: maps, lists, strings, booleans, null, and numbers as {@link JsonNumber}. */
  private static Object read(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, read(p, p.nextToken()));
        }
        yield m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(read(p, e));
        }
        yield l;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new JsonNumber(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + t);
    };
  }

  /** A JSON number as written (a DECIMAL's digits, a DOUBLE's shortest form), converted by its column's type. */
  record JsonNumber(String text) {
    long longValue() {
      return Long.parseLong(text);
    }
  }
}
