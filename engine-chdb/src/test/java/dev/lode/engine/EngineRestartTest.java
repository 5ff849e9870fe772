package dev.lode.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data written by one process is there for the next one over the same data directory. */
class EngineRestartTest {
  @TempDir
  Path data;

  @Test
  void dataSurvivesTheProcess() throws Exception {
    run(true, "CREATE TABLE default.kept (id UInt64, name String) ENGINE = MergeTree ORDER BY id",
        "INSERT INTO default.kept SELECT number, toString(number) FROM numbers(100000)",
        "SELECT count() FROM default.kept");
    String after = run(false, "SELECT count(), sum(id), max(name) FROM default.kept");
    assertEquals("100000\t4999950000\t99999", after.strip());
    String again = run(false, "INSERT INTO default.kept VALUES (100000, 'x')", "SELECT count() FROM default.kept");
    assertEquals("100001", again.strip());
  }

  private String run(boolean halt, String... sql) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        EngineProcess.class.getName()));
    if (halt) {
      cmd.add("--halt");
    }
    cmd.add(data.toString());
    cmd.addAll(List.of(sql));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("engine process did not finish");
    }
    assertEquals(0, p.exitValue(), "engine process failed: " + out);
    return out;
  }
}
