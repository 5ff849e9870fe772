package dev.lode.webapp;

import dev.lode.app.AnonymousBodyGate;
import dev.lode.app.LodeContext;
import dev.lode.app.LodeRuntime;
import dev.lode.config.LodeConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Collections;
import java.util.EnumSet;

/**
 * Starts Lode's runtime (configuration, credentials, warehouse, and every service and
 * scheduler the standalone server runs) when the container starts the web application and
 * stops it when the container stops it; context parameters named {@code lode.*} override
 * the usual configuration layers.
 */
public class LodeWebListener implements ServletContextListener {
  private static volatile LodeRuntime runtime;

  /** The runtime the container started; the JAX-RS application is built over it. */
  static LodeRuntime runtime() {
    LodeRuntime r = runtime;
    if (r == null) {
      throw new IllegalStateException("Lode is not running: is LodeWebListener declared in web.xml?");
    }
    return r;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext servlet = event.getServletContext();
    LodeConfig config = LodeConfig.load();
    for (String name : Collections.list(servlet.getInitParameterNames())) {
      if (name.startsWith("lode.")) {
        config = config.with(name, servlet.getInitParameter(name));
      }
    }
    runtime = LodeRuntime.start(LodeContext.open(config));
    // the container's own connection limits and timeouts (Tomcat's maxConnections, connectionTimeout) apply
    // before this; the gate keeps slow bodies without credentials from taking the container's threads
    servlet.addFilter("lode-anonymous-body-gate", AnonymousBodyGate.of(config))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    servlet.log("Lode: running, data in " + config.dataDir().toAbsolutePath());
  }

  /** The container has stopped the servlets (no request is in flight): stop the runtime. */
  @Override
  public void contextDestroyed(ServletContextEvent event) {
    LodeRuntime r = runtime;
    runtime = null;
    if (r != null) {
      r.close();
    }
  }
}
