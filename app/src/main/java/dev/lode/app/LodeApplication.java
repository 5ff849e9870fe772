package dev.lode.app;

import dev.lode.collector.Collector;
import dev.lode.collector.http.CollectorResource;
import dev.lode.collector.http.MetricsResource;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jakarta REST application: status and, as they land, the collector, the Avatica
 * endpoint and the admin API. The same class serves the standalone launcher and the WAR.
 */
public class LodeApplication extends ResourceConfig {
  private final Collector collector;

  /** The application over a started runtime; the runtime, not the application, owns the collector. */
  public LodeApplication(LodeRuntime runtime) {
    LodeContext context = runtime.context();
    collector = runtime.collector();
    register(new SqlUserAuthFilter(context.credentials()));
    // resources are registered as classes and their one instance each is bound for injection: Jersey
    // takes a registered instance for a provider and warns that it implements no provider interface
    StatusResource status = new StatusResource(runtime);
    CollectorResource collectorResource = new CollectorResource(collector);
    MetricsResource metrics = new MetricsResource(collector);
    AvaticaResource avatica = new AvaticaResource(context);
    AdminResource admin = new AdminResource(context);
    registerClasses(StatusResource.class, CollectorResource.class, MetricsResource.class, AvaticaResource.class,
        AdminResource.class);
    register(new AbstractBinder() {
      @Override
      protected void configure() {
        bind(status).to(StatusResource.class);
        bind(collectorResource).to(CollectorResource.class);
        bind(metrics).to(MetricsResource.class);
        bind(avatica).to(AvaticaResource.class);
        bind(admin).to(AdminResource.class);
      }
    });
    // no WADL: nothing reads it, and without a JAXB implementation Jersey warns at every start
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
  }

  /** The collector this application serves (the standalone server also maps it to a plain servlet). */
  public Collector collector() {
    return collector;
  }
}
