package dev.lode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bench client sends a POST again only over a stale keep-alive connection, never after an answer began. */
class RawHttpClientTest {
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** A one-thread HTTP server: answers each request it reads with what {@code answer} says, counting requests. */
  private static final class Server implements AutoCloseable {
    /** What to do with the n-th request (0-based) of the whole run: the bytes to write, and whether to close after. */
    interface Script {
      Object[] answer(int n);
    }

    final ServerSocket socket;
    final AtomicInteger requests = new AtomicInteger();
    final Thread thread;

    Server(Script script) throws IOException {
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      socket.setSoTimeout(1000);
      thread = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            try (Socket s = socket.accept()) {
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              while (readRequest(in)) {
                Object[] a = script.answer(requests.getAndIncrement());
                out.write(((String) a[0]).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if ((Boolean) a[1]) {
                  break;
                }
              }
            }
          }
        } catch (SocketTimeoutException | java.net.SocketException done) {
          // no more connections
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }

    /** Reads one request (head and Content-Length body); false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return false;
        }
        head.write(c);
      }
      String h = head.toString(StandardCharsets.US_ASCII);
      int at = h.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
      int length = Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).strip());
      in.readNBytes(length);
      return true;
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws Exception {
      thread.join(5000); // the accept times out once the client is done
      socket.close();
    }
  }

  private static byte[] post(URI base) {
    return RawHttpClient.post(base, "/v1/batch", "Basic eDo=", "{\"batch\":[]}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAnswerCutShortIsAFailureNotAResend() throws Exception {
    Server server = new Server(n -> new Object[] {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true});
    try (server; RawHttpClient client = new RawHttpClient(server.base())) {
      assertThrows(IOException.class, () -> client.send(post(server.base())));
    }
    assertEquals(1, server.requests.get(), "the request must not be sent again once its answer began");
  }

  @Test
  void aFreshConnectionClosedWithoutAnswerIsAFailure() throws Exception {
    Server server = new Server(n -> new Object[] {"", true});
    try (server; RawHttpClient client = new RawHttpClient(server.base())) {
      assertThrows(IOException.class, () -> client.send(post(server.base())));
    }
    assertEquals(1, server.requests.get(), "a new connection closed without an answer is not a stale keep-alive");
  }

  @Test
  void aStaleKeepAliveConnectionIsReopenedAndTheRequestSentAgain() throws Exception {
    // the first answer is complete, then the server drops the idle connection
    Server server = new Server(n -> new Object[] {OK, n == 0});
    try (server; RawHttpClient client = new RawHttpClient(server.base())) {
      assertEquals(200, client.send(post(server.base())));
      Thread.sleep(100); // let the close reach the client's socket
      assertEquals(200, client.send(post(server.base())));
    }
    assertEquals(2, server.requests.get());
  }
}
