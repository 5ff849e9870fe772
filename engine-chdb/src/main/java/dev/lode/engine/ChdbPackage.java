package dev.lode.engine;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The npm registry package that carries {@code libchdb} for one platform, with the
 * integrity hash Lode pins for it.
 *
 * <p>chDB publishes its engine library to npm as {@code @chdb/lib-<os>-<arch>[-libc]}.
 * Only the packages listed in {@link #SUPPORTED} exist for the pinned version; on any
 * other platform Lode asks for a locally built library through
 * {@code lode.engine.library}.
 */
public record ChdbPackage(String name, String version, String integrity) {

  /** The chDB release Lode is built and tested against (ClickHouse 26.7). */
  public static final String VERSION = "26.7.3-stable.1";

  /** Platform key ({@code os-arch}) to package; the integrity is the registry's sha512 SRI. */
  static final Map<String, ChdbPackage> SUPPORTED = Map.of(
      "linux-x86_64",
      new ChdbPackage("@chdb/lib-linux-x64-gnu", VERSION,
          "sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw=="));

  /** The package for the running JVM's platform, if chDB publishes one. */
  public static Optional<ChdbPackage> forCurrentPlatform() {
    return Optional.ofNullable(SUPPORTED.get(platformKey()));
  }

  /** {@code linux-x86_64}, {@code mac-aarch64}, … as used in error messages and {@link #SUPPORTED}. */
  public static String platformKey() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osKey = os.contains("linux") ? "linux" : os.contains("mac") ? "mac" : os.contains("win") ? "windows" : os;
    String archKey = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch;
    };
    return osKey + "-" + archKey;
  }

  /** The registry document URL for this exact version, e.g. {@code …/@chdb%2flib-linux-x64-gnu/26.7.3-stable.1}. */
  String metadataUrl(String registry) {
    return registry.replaceAll("/+$", "") + "/" + name.replace("/", "%2f") + "/" + version;
  }
}
