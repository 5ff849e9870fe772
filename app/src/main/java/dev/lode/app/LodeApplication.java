package dev.lode.app;

import dev.lode.collector.Collector;
import dev.lode.collector.http.CollectorResource;
import dev.lode.collector.http.MetricsResource;
import dev.lode.console.Console;
import dev.lode.console.ConsoleServices;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jakarta REST application: status, the collector, the Avatica endpoint, the admin API
 * and the web console ({@code /console/}, with {@code GET /} sending browsers there). The same class serves the standalone launcher and the WAR.
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
    Console console = new Console(new ConsoleServices(context.config(), context.credentials(), context.warehouse(),
        new ConsoleSql(avatica), runtime::jobs, collector.metrics(), collector.settings().spoolDir(),
        () -> PrivacyAdmin.erasure(context.config(), context.warehouse()), LodeVersion.get()));
    registerClasses(StatusResource.class, CollectorResource.class, MetricsResource.class, AvaticaResource.class,
        AdminResource.class);
    console.resources().forEach(r -> registerClasses(r.getClass()));
    console.providers().forEach(this::register);
    register(new AbstractBinder() {
      @Override
      protected void configure() {
        bind(status).to(StatusResource.class);
        bind(collectorResource).to(CollectorResource.class);
        bind(metrics).to(MetricsResource.class);
        bind(avatica).to(AvaticaResource.class);
        bind(admin).to(AdminResource.class);
        for (Object page : console.resources()) {
          bindPage(this, page);
        }
      }
    });
    // no WADL: nothing reads it, and without a JAXB implementation Jersey warns at every start
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
  }

  /** Binds a console page's one instance to its class, for injection (the generic type needs a named helper). */
  @SuppressWarnings("unchecked")
  private static <T> void bindPage(AbstractBinder binder, T page) {
    binder.bind(page).to((Class<T>) page.getClass());
  }

  /** The collector this application serves (the standalone server also maps it to a plain servlet). */
  public Collector collector() {
    return collector;
  }
}
