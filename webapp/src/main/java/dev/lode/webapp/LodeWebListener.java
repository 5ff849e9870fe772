package dev.lode.webapp;

import dev.lode.app.LodeContext;
import dev.lode.config.LodeConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Collections;

/**
 * Opens Lode's context (configuration, credentials, warehouse) when the container starts the
 * web application and closes it when the container stops it; context parameters named
 * {@code lode.*} override the usual configuration layers.
 */
public class LodeWebListener implements ServletContextListener {
  private static volatile LodeContext context;

  /** The context the container opened; the JAX-RS application is built over it. */
  static LodeContext context() {
    LodeContext c = context;
    if (c == null) {
      throw new IllegalStateException("Lode's context is not open: is LodeWebListener declared in web.xml?");
    }
    return c;
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
    context = LodeContext.open(config);
    servlet.log("Lode: warehouse open, data in " + config.dataDir().toAbsolutePath());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    LodeContext c = context;
    context = null;
    if (c != null) {
      c.close();
    }
  }
}
