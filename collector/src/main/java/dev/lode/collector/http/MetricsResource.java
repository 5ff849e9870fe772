package dev.lode.collector.http;

import dev.lode.collector.Collector;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code GET /metrics}: the collector's counters in Prometheus text format (behind SQL-user authentication). */
@Path("/metrics")
public class MetricsResource {
  private final Collector collector;

  public MetricsResource(Collector collector) {
    this.collector = collector;
  }

  @GET
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String metrics() {
    return collector.metrics().prometheus();
  }
}
