package dev.lode.console;

import dev.lode.console.page.DataQualityPage;
import dev.lode.console.page.HealthPage;
import dev.lode.console.page.PeoplePage;
import dev.lode.console.page.PlaygroundPage;
import dev.lode.console.page.ReportsPage;
import dev.lode.console.page.TagsPage;
import dev.lode.console.session.SignInResource;
import dev.lode.console.session.Sessions;
import dev.lode.console.view.Templates;
import java.util.List;

/**
 * The web console: its sessions, its templates and one JAX-RS resource per page, all under
 * {@code /console/}, for the hosting application to register next to its own resources.
 */
public final class Console {
  /** The path every console page lives under (relative to the application's base). */
  public static final String PATH = "console";

  private final ConsoleServices services;
  private final Sessions sessions;
  private final Templates templates = new Templates();
  private final List<Object> resources;

  public Console(ConsoleServices services) {
    this.services = services;
    this.sessions = new Sessions(services.credentials(),
        services.config().getInt("lode.console.session-idle-minutes", 30));
    PageFrame frame = new PageFrame(services, sessions, templates);
    this.resources = List.of(new RootRedirect(), new SignInResource(frame), new HealthPage(frame), new PlaygroundPage(frame),
        new TagsPage(frame), new PeoplePage(frame), new ReportsPage(frame), new DataQualityPage(frame));
  }

  /**
   * Whether a request path (as JAX-RS names it, relative to the base) is the console's own: its
   * pages authenticate by session cookie, not by the SQL endpoint's Basic credentials.
   */
  public static boolean isConsolePath(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.equals(PATH) || p.startsWith(PATH + "/");
  }

  /** The providers the hosting application registers with the resources. */
  public List<Object> providers() {
    return List.of(new RequestSql());
  }

  /** The resource instances, one per page plus sign-in. */
  public List<Object> resources() {
    return resources;
  }

  public Sessions sessions() {
    return sessions;
  }

  public ConsoleServices services() {
    return services;
  }
}
