package dev.lode.app;


import dev.lode.collector.Collector;
import dev.lode.collector.CollectorResource;
import dev.lode.collector.MetricsResource;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;

/**
 * The Jakarta REST application: status and, as they land, the collector, the Avatica
 * endpoint and the admin API. The same class serves the standalone launcher and the WAR.
 */
public class LodeApplication extends ResourceConfig {
  private final Collector collector;

  public LodeApplication(LodeContext context) {
    register(new StatusResource(context));
    register(new SqlUserAuthFilter(context.credentials()));
    collector = Collector.start(context.config(), context.credentials(), context.warehouse());
    register(new CollectorResource(collector));
    register(new MetricsResource(collector));
    register(new ContainerLifecycleListener() { // flush what is spooled before the warehouse closes
      @Override
      public void onStartup(Container container) {
      }

      @Override
      public void onReload(Container container) {
      }

      @Override
      public void onShutdown(Container container) {
        collector.close();
      }
    });
    register(new AvaticaResource(context));
    register(new AdminResource(context));
  }

  /** The collector this application serves (the standalone server also maps it to a plain servlet). */
  public Collector collector() {
    return collector;
  }
}
