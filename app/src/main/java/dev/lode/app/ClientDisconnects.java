package dev.lode.app;

import dev.lode.sql.server.RequestWatch;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the client of an Avatica request in flight has closed its connection, and tells
 * the request's {@link RequestWatch}, which stops the statement it runs: an Avatica client waits
 * for its answer without sending anything, so a connection that becomes readable mid-request
 * has been closed (or the client died). One daemon thread watches every in-flight request's
 * socket ({@link ClientSocket}) with its own selector, beside Jetty's; under another servlet
 * container (the WAR) the socket is not reachable and nothing is watched — the statement
 * timeout still bounds the work.
 */
final class ClientDisconnects implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientDisconnects.class);

  private final Selector selector;
  private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean open = true;

  ClientDisconnects() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector: " + e.getMessage(), e);
    }
    thread = Thread.ofPlatform().daemon().name("lode-sql-disconnects").start(this::run);
  }

  /** A watch over the client on {@code channel} (null: not watched) until {@link Watched#close}. */
  Watched watch(SelectableChannel channel) {
    RequestWatch watch = new RequestWatch();
    if (channel == null || !open) {
      return new Watched(watch, () -> { });
    }
    SelectionKey[] key = new SelectionKey[1];
    changes.add(() -> {
      try {
        key[0] = channel.register(selector, SelectionKey.OP_READ, watch);
      } catch (IOException | RuntimeException e) {
        // closed already, or not selectable: the statement timeout still bounds the work
      }
    });
    selector.wakeup();
    return new Watched(watch, () -> {
      changes.add(() -> {
        if (key[0] != null) {
          key[0].cancel();
        }
      });
      selector.wakeup();
    });
  }

  private void run() {
    while (open) {
      try {
        for (Runnable change = changes.poll(); change != null; change = changes.poll()) {
          change.run();
        }
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isReadable()) {
            ((RequestWatch) key.attachment()).gone("the client closed its connection");
            key.cancel();
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        if (open) {
          LOG.warn("client disconnect watch: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      thread.join(2000);
      selector.close();
    } catch (IOException | InterruptedException ignored) {
      // shutting down
    }
  }

  /** A request's watch, and what ends it. */
  record Watched(RequestWatch watch, Runnable end) implements AutoCloseable {
    @Override
    public void close() {
      end.run();
    }
  }
}
