package dev.lode.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Report outputs that list persons: in every file under the report output directory that
 * mentions a forgotten id, CSV files lose the rows that mention it (the header stays);
 * any other file (HTML, SVG) is deleted, since a rendered page cannot be edited safely —
 * the next scheduled run writes it again from the cleaned warehouse.
 */
public final class ReportOutputStore implements ErasureStore {
  private final Path dir;

  public ReportOutputStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public String name() {
    return "report_outputs";
  }

  @Override
  public long erase(ErasureSubject subject) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    long changed = 0;
    for (Path f : files) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      if (!subject.mentions(text)) {
        continue;
      }
      if (f.getFileName().toString().endsWith(".csv")) {
        List<String> kept = new ArrayList<>();
        String[] lines = text.split("(?<=\n)");
        for (int i = 0; i < lines.length; i++) {
          if (i == 0 || !subject.mentions(lines[i])) {
            kept.add(lines[i]);
          }
        }
        Path tmp = f.resolveSibling(f.getFileName() + ".erasing");
        Files.writeString(tmp, String.join("", kept), StandardCharsets.UTF_8);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.delete(f);
      }
      changed++;
    }
    return changed;
  }
}
