package dev.lode.app;

import dev.lode.collector.http.CollectorServlet;
import dev.lode.config.LodeConfig;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Properties;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The standalone launcher: Jetty (Jakarta EE 10 servlets) hosting {@link LodeApplication}
 * on {@code lode.http.host}:{@code lode.http.port}, over the {@link LodeRuntime} it starts.
 */
public final class LodeServer implements AutoCloseable {
  private final LodeRuntime runtime;
  private final Server jetty;

  private LodeServer(LodeRuntime runtime, Server jetty) {
    this.runtime = runtime;
    this.jetty = jetty;
  }

  /** Opens the warehouse and starts serving. */
  public static LodeServer start(LodeConfig config) {
    return start(LodeContext.open(config));
  }

  /** Starts serving over a warehouse this process already has open; closing the server leaves it open. */
  public static LodeServer start(LodeConfig config, dev.lode.warehouse.Warehouse warehouse) {
    return start(LodeContext.over(config, warehouse));
  }

  private static LodeServer start(LodeContext context) {
    LodeConfig config = context.config();
    LodeRuntime runtime = LodeRuntime.start(context);
    Server jetty = null;
    try {
      QueuedThreadPool threads = new QueuedThreadPool(config.getInt("lode.http.threads", 64), 4);
      threads.setName("lode-http");
      jetty = new Server(threads);
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost(config.get("lode.http.host", "127.0.0.1"));
      connector.setPort(config.getInt("lode.http.port", 8765));
      // a connection that sends nothing for this long (mid-headers or mid-body) is closed, freeing its thread
      connector.setIdleTimeout(config.getInt("lode.http.idle-timeout-seconds", 30) * 1000L);
      jetty.addConnector(connector);
      ServletContextHandler handler = new ServletContextHandler();
      handler.setContextPath("/");
      handler.addFilter(TraceRefusal.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      handler.addFilter(ClientSocket.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      handler.addFilter(new FilterHolder(AnonymousBodyGate.of(config)),
          "/*", EnumSet.of(DispatcherType.REQUEST));
      LodeApplication application = new LodeApplication(runtime);
      handler.addServlet(new ServletHolder(new ServletContainer(application)), "/*");
      // the collector's hot POST paths skip Jersey (same Collector, same answers)
      ServletHolder collector = new ServletHolder(new CollectorServlet(application.collector()));
      for (String path : CollectorServlet.PATHS) {
        handler.getServletHandler().addServletWithMapping(collector, path);
      }
      jetty.setHandler(handler);
      jetty.start();
      LodeServer server = new LodeServer(runtime, jetty);
      server.writeRunFile();
      return server;
    } catch (Exception e) {
      try {
        if (jetty != null) {
          jetty.stop();
        }
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      runtime.close();
      throw new IllegalStateException("cannot start the HTTP server: " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8765}. */
  public String url() {
    ServerConnector c = (ServerConnector) jetty.getConnectors()[0];
    String host = c.getHost() == null || c.getHost().equals("0.0.0.0") ? "127.0.0.1" : c.getHost();
    return "http://" + host + ":" + port();
  }

  public LodeContext context() {
    return runtime.context();
  }

  /**
   * Records where this server listens in {@code <data>/run/server.properties}, so
   * {@code bin/lode sql} on the same machine finds it.
   */
  private void writeRunFile() throws IOException {
    Path run = runtime.context().config().dataDir().resolve("run");
    Files.createDirectories(run);
    Properties p = new Properties();
    p.setProperty("url", url());
    p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    p.setProperty("warehouse.url", runtime.context().warehouse().jdbcUrl());
    // written beside and moved into place: a reader polling for the file (bin/lode sql, a test)
    // must never see it half-written, without the url
    Path partial = run.resolve("server.properties.partial");
    try (var out = Files.newOutputStream(partial)) {
      p.store(out, "written by bin/lode serve; removed on clean shutdown");
    }
    Files.move(partial, run.resolve("server.properties"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops taking requests, then stops the runtime (which flushes the collector and closes the warehouse). */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        Files.deleteIfExists(runtime.context().config().dataDir().resolve("run").resolve("server.properties"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        runtime.close();
      }
    }
  }
}
