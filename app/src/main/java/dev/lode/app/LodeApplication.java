package dev.lode.app;

import org.glassfish.jersey.server.ResourceConfig;

/**
 * The Jakarta REST application: status and, as they land, the collector, the Avatica
 * endpoint and the admin API. The same class serves the standalone launcher and the WAR.
 */
public class LodeApplication extends ResourceConfig {

  public LodeApplication(LodeContext context) {
    register(new StatusResource(context));
    register(new SqlUserAuthFilter(context.credentials()));
    register(new AvaticaResource(context));
  }
}
