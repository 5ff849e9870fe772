package dev.lode.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine fetcher against a real local HTTP registry: it unpacks a verified package,
 * and every way the fetch can fail ends in a message that says what failed and how to fix it.
 */
class ChdbLibraryFetcherTest {
  private HttpServer registry;
  private final Map<String, byte[]> routes = new ConcurrentHashMap<>();
  @TempDir
  Path cache;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", ex -> {
      byte[] body = routes.get(ex.getRequestURI().getRawPath());
      ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
      ex.close();
    });
    registry.start();
  }

  @AfterEach
  void stopRegistry() {
    registry.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + registry.getAddress().getPort();
  }

  @Test
  void unpacksTheLibraryFromAVerifiedTarball() throws Exception {
    byte[] lib = "not really a shared object".getBytes(StandardCharsets.UTF_8);
    byte[] tgz = tarGz(Map.of("package/package.json", "{}".getBytes(StandardCharsets.UTF_8), "package/libchdb.so", lib));
    ChdbPackage pkg = publish("@test/lib-good", tgz, sri(tgz));
    Path out = new ChdbLibraryFetcher(cache, base()).fetch(pkg);
    assertArrayEquals(lib, Files.readAllBytes(out));
    routes.clear(); // a second fetch is served from the cache, without the network
    assertEquals(out, new ChdbLibraryFetcher(cache, base()).fetch(pkg));
  }

  @Test
  void aCorruptedDownloadIsRefused() throws Exception {
    byte[] tgz = tarGz(Map.of("package/libchdb.so", new byte[] {1, 2, 3}));
    byte[] corrupted = tgz.clone();
    corrupted[corrupted.length - 20] ^= 0x55;
    ChdbPackage pkg = publish("@test/lib-corrupt", corrupted, sri(tgz));
    EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
        () -> new ChdbLibraryFetcher(cache, base()).fetch(pkg));
    assertTrue(e.getMessage().contains("integrity") || e.getMessage().contains("downloading"), e.getMessage());
    assertTrue(Files.notExists(cache.resolve("chdb").resolve("test_lib-corrupt").resolve("1.0.0").resolve("libchdb.so")));
  }

  @Test
  void aRegistryThatDisagreesWithThePinnedHashIsRefused() throws Exception {
    byte[] tgz = tarGz(Map.of("package/libchdb.so", new byte[] {1}));
    ChdbPackage pinned = new ChdbPackage("@test/lib-pinned", "1.0.0", "sha512-" + "A".repeat(86) + "==");
    routes.put("/@test%2flib-pinned/1.0.0", metadata(sri(tgz), base() + "/lib.tgz"));
    routes.put("/lib.tgz", tgz);
    EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
        () -> new ChdbLibraryFetcher(cache, base()).fetch(pinned));
    assertTrue(e.getMessage().contains("pins"), e.getMessage());
  }

  @Test
  void aMissingPackageSaysWhatFailedAndHowToFixIt() {
    ChdbPackage pkg = new ChdbPackage("@test/lib-missing", "1.0.0", "sha512-x");
    EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
        () -> new ChdbLibraryFetcher(cache, base()).fetch(pkg));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertTrue(e.getMessage().contains("Fix:") && e.getMessage().contains("lode.engine.library"), e.getMessage());
  }

  @Test
  void anUnreachableRegistrySaysWhatFailedAndHowToFixIt() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ChdbPackage pkg = new ChdbPackage("@test/lib-offline", "1.0.0", "sha512-x");
    EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
        () -> new ChdbLibraryFetcher(cache, "http://127.0.0.1:" + closedPort).fetch(pkg));
    assertTrue(e.getMessage().startsWith("fetching the chDB engine library failed"), e.getMessage());
    assertTrue(e.getMessage().contains("lode.engine.npm-registry"), e.getMessage());
  }

  private ChdbPackage publish(String name, byte[] tarball, String integrity) {
    ChdbPackage pkg = new ChdbPackage(name, "1.0.0", integrity);
    String tarPath = "/" + name.replace('/', '_') + ".tgz";
    routes.put("/" + name.replace("/", "%2f") + "/1.0.0", metadata(integrity, base() + tarPath));
    routes.put(tarPath, tarball);
    return pkg;
  }

  private static byte[] metadata(String integrity, String tarball) {
    return ("{\"dist\":{\"integrity\":\"" + integrity + "\",\"tarball\":\"" + tarball + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String sri(byte[] data) throws Exception {
    return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(data));
  }

  /** A minimal ustar archive, gzipped, as npm packs it. */
  private static byte[] tarGz(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
      for (var e : files.entrySet()) {
        byte[] h = new byte[512];
        byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, h, 0, name.length);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o", e.getValue().length) + "\0");
        put(h, 136, "00000000000\0");
        h[156] = '0';
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
          h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
          sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        gz.write(h);
        gz.write(e.getValue());
        gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
      }
      gz.write(new byte[1024]);
    }
    return raw.toByteArray();
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
