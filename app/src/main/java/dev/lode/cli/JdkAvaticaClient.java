package dev.lode.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.UsernamePasswordAuthenticateable;

/**
 * Avatica's HTTP transport for {@code bin/lode sql} on the JDK's {@link HttpURLConnection}
 * (chosen with the driver's {@code httpclient_impl}), with BASIC credentials: Avatica's default
 * Apache client builds a TLS context and reads the JDK's trust store even for the loopback
 * {@code http://} URL, which took most of a one-statement run's start.
 */
public final class JdkAvaticaClient implements AvaticaHttpClient, UsernamePasswordAuthenticateable {
  private final URL url;
  private String authorization;

  /** Avatica's factory creates the client with the endpoint's URL. */
  public JdkAvaticaClient(URL url) {
    this.url = url;
  }

  @Override
  public void setUsernamePassword(AuthenticationType type, String user, String password) {
    if (type != AuthenticationType.BASIC) {
      throw new IllegalArgumentException("bin/lode sql authenticates with BASIC, not " + type);
    }
    authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] send(byte[] request) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/octet-stream");
      if (authorization != null) {
        c.setRequestProperty("Authorization", authorization);
      }
      c.setFixedLengthStreamingMode(request.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(request);
      }
      int status = c.getResponseCode();
      // Avatica answers a failed request with 500 and its error in the body, which the driver reads
      if (status != HttpURLConnection.HTTP_OK && status != HttpURLConnection.HTTP_INTERNAL_ERROR) {
        throw new IllegalStateException("the server at " + url + " answered HTTP " + status
            + (status == HttpURLConnection.HTTP_UNAUTHORIZED ? " (wrong lode.sql.user or password?)" : ""));
      }
      try (InputStream in = status == HttpURLConnection.HTTP_OK ? c.getInputStream() : c.getErrorStream()) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not reach " + url + ": " + e.getMessage(), e);
    }
  }
}
