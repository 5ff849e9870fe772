package dev.lode.app;

import dev.lode.collector.Collector;
import dev.lode.collector.http.CollectorResource;
import dev.lode.collector.http.MetricsResource;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The Jakarta REST application: status and, as they land, the collector, the Avatica
 * endpoint and the admin API. The same class serves the standalone launcher and the WAR.
 */
public class LodeApplication extends ResourceConfig {
  private final Collector collector;

  /** The application over a started runtime; the runtime, not the application, owns the collector. */
  public LodeApplication(LodeRuntime runtime) {
    LodeContext context = runtime.context();
    register(new StatusResource(runtime));
    register(new SqlUserAuthFilter(context.credentials()));
    collector = runtime.collector();
    register(new CollectorResource(collector));
    register(new MetricsResource(collector));
    register(new AvaticaResource(context));
    register(new AdminResource(context));
  }

  /** The collector this application serves (the standalone server also maps it to a plain servlet). */
  public Collector collector() {
    return collector;
  }
}
