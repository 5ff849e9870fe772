package dev.lode.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@code libchdb.so} into a per-user cache on first use: it reads the package's
 * registry document, downloads the tarball, checks it against the registry's sha512
 * integrity (which must also equal the hash pinned in {@link ChdbPackage}) and unpacks
 * the library. Later starts find it in the cache and touch no network.
 */
public final class ChdbLibraryFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ChdbLibraryFetcher.class);
  private static final String LIBRARY_ENTRY = "package/libchdb.so";

  private final Path cacheRoot;
  private final String registry;
  private final HttpClient http;

  public ChdbLibraryFetcher(Path cacheRoot, String registry) {
    this.cacheRoot = cacheRoot;
    this.registry = registry;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** The default cache: {@code $XDG_CACHE_HOME/lode} or {@code ~/.cache/lode}. */
  public static Path defaultCacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("lode");
  }

  /** Returns the cached library for {@code pkg}, fetching and verifying it first if absent. */
  public Path fetch(ChdbPackage pkg) {
    Path dir = cacheRoot.resolve("chdb").resolve(pkg.name().replace('/', '_').replace("@", "")).resolve(pkg.version());
    Path lib = dir.resolve("libchdb.so");
    if (Files.isRegularFile(lib)) {
      return lib;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new EngineUnavailableException("cannot create the engine cache directory " + dir + ": " + e.getMessage()
          + ". Fix: make it writable or set XDG_CACHE_HOME to a writable directory.", e);
    }
    // Two JVMs starting together (tests, a server and a CLI) download once.
    try (FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = lockChannel.lock()) {
      if (Files.isRegularFile(lib)) {
        return lib;
      }
      download(pkg, dir, lib);
      return lib;
    } catch (IOException e) {
      throw new EngineUnavailableException("cannot lock the engine cache " + dir + ": " + e.getMessage(), e);
    }
  }

  private void download(ChdbPackage pkg, Path dir, Path lib) {
    String metadataUrl = pkg.metadataUrl(registry);
    String fix = " Fix: check that this machine can reach the npm registry (" + registry
        + ", set lode.engine.npm-registry for a mirror), or build chDB yourself and set lode.engine.library=/path/to/libchdb.so.";
    JsonNode dist;
    try {
      HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create(metadataUrl)).timeout(Duration.ofMinutes(1)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (meta.statusCode() != 200) {
        throw new EngineUnavailableException("fetching the chDB engine library failed: " + metadataUrl + " answered HTTP "
            + meta.statusCode() + "." + fix);
      }
      dist = new ObjectMapper().readTree(meta.body()).path("dist");
    } catch (IOException e) {
      throw new EngineUnavailableException("fetching the chDB engine library failed: cannot read " + metadataUrl + " ("
          + e + ")." + fix, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("interrupted while fetching " + metadataUrl, e);
    }
    String integrity = dist.path("integrity").asText("");
    String tarball = dist.path("tarball").asText("");
    if (!integrity.equals(pkg.integrity())) {
      throw new EngineUnavailableException("the npm registry reports integrity " + integrity + " for " + pkg.name() + "@"
          + pkg.version() + " but Lode pins " + pkg.integrity() + "; refusing an engine library that may have been altered.");
    }
    LOG.info("downloading the ClickHouse engine (chDB {}) from {} into {}", pkg.version(), tarball, dir);
    Path tmp = dir.resolve("libchdb.so.part");
    try {
      HttpResponse<InputStream> body = http.send(HttpRequest.newBuilder(URI.create(tarball)).timeout(Duration.ofMinutes(30)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (body.statusCode() != 200) {
        body.body().close();
        throw new EngineUnavailableException("fetching the chDB engine library failed: " + tarball + " answered HTTP "
            + body.statusCode() + "." + fix);
      }
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      boolean found;
      try (DigestInputStream digesting = new DigestInputStream(body.body(), sha512)) {
        found = extractEntry(new GZIPInputStream(digesting, 1 << 16), LIBRARY_ENTRY, tmp);
        digesting.transferTo(OutputStream.nullOutputStream()); // hash the whole tarball, including trailing blocks
      }
      String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
      if (!actual.equals(integrity)) {
        Files.deleteIfExists(tmp);
        throw new EngineUnavailableException("the downloaded " + tarball + " has integrity " + actual + ", expected "
            + integrity + "; the download was corrupted or altered. Retry, or check your proxy.");
      }
      if (!found) {
        throw new EngineUnavailableException(tarball + " does not contain " + LIBRARY_ENTRY + ".");
      }
      try {
        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new EngineUnavailableException("fetching the chDB engine library failed while downloading " + tarball + " ("
          + e + ")." + fix, e);
    } catch (InterruptedException e) {
      deleteQuietly(tmp);
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("interrupted while downloading " + tarball, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a ustar stream and copies the named regular file to {@code target}; true when found. */
  static boolean extractEntry(InputStream tar, String wanted, Path target) throws IOException {
    byte[] header = new byte[512];
    boolean found = false;
    while (tar.readNBytes(header, 0, 512) == 512) {
      if (header[0] == 0) {
        break; // end-of-archive marker
      }
      String name = cString(header, 0, 100);
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
      long padded = (size + 511) / 512 * 512;
      if (name.equals(wanted)) {
        try (OutputStream out = Files.newOutputStream(target)) {
          copyExactly(tar, out, size);
        }
        tar.skipNBytes(padded - size);
        found = true;
      } else {
        tar.skipNBytes(padded);
      }
    }
    return found;
  }

  private static void copyExactly(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("truncated archive");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.US_ASCII);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a stale .part file is overwritten on the next attempt
    }
  }
}
