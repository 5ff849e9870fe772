package dev.lode.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over one keep-alive socket, for load generation: a POST is its
 * request head and body written as prepared bytes, and the answer is read just far enough
 * to know its status and skip its body. It speaks plain HTTP/1.1 (Content-Length or chunked
 * answers, reconnecting when the server closes), so the server sees what any SDK sends,
 * while the client costs a fraction of a general-purpose client's CPU on a shared machine.
 */
final class RawHttpClient implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  /** Whether a byte of the current answer has been read. */
  private boolean answerStarted;

  RawHttpClient(URI base) {
    this.host = base.getHost();
    this.port = base.getPort();
  }

  /** The bytes of a POST of {@code body} to {@code path}, ready to send any number of times. */
  static byte[] post(URI base, String path, String authorization, byte[] body) {
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
        + "\r\nAuthorization: " + authorization + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /**
   * Sends a prepared request and returns the answer's status code. It is sent again only
   * when a reused keep-alive connection turns out closed before any byte of the answer came
   * (the server dropped it while idle, so it never saw the request); any other failure —
   * a fresh connection, an answer cut short, a timeout — is thrown, since the server may
   * have acted on the request.
   */
  int send(byte[] request) throws IOException {
    for (int attempt = 0; ; attempt++) {
      boolean reused = socket != null;
      if (!reused) {
        connect();
      }
      answerStarted = false;
      try {
        out.write(request);
        out.flush();
        return readAnswer();
      } catch (IOException e) {
        close();
        boolean stale = reused && !answerStarted && !(e instanceof java.net.SocketTimeoutException);
        if (!stale || attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(60_000);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 8192);
  }

  private int readAnswer() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closing = false;
    for (String h; !(h = line()).isEmpty(); ) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closing = true;
      }
    }
    if (chunked) {
      for (long n; (n = Long.parseLong(line().split(";")[0].strip(), 16)) > 0; ) {
        skip(n);
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      skip(length);
    } else {
      closing = true; // body until close
    }
    if (closing) {
      close();
    }
    return code;
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection closed by the server");
      }
      answerStarted = true;
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      long k = in.skip(n);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed inside an answer");
        }
        k = 1;
      }
      n -= k;
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }
}
