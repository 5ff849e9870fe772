package dev.lode.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * {@code bin/lode sql}'s interactive shell (JLine): a statement may span lines and runs when a
 * line ends it with {@code ;}; each runs as a one-shot {@code bin/lode sql} would, printed in
 * the chosen format; history is kept in a file across sessions; {@code \q}, {@code quit},
 * {@code exit} or Ctrl-D leave, Ctrl-C drops the statement being typed.
 */
final class SqlShell {
  private final Terminal terminal;
  private final Path history;
  private final String where;

  /** A shell on {@code terminal} keeping its history in {@code history}; {@code where} names what it talks to. */
  SqlShell(Terminal terminal, Path history, String where) {
    this.terminal = terminal;
    this.history = history;
    this.where = where;
  }

  /** Reads and runs statements until the user leaves; {@code run} executes one and says whether it succeeded. */
  void run(Predicate<String> run) throws IOException {
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("lode")
        .parser(new StatementParser())
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P  -> ")
        // '!' and '^' are SQL, not history expansion
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    terminal.writer().println("Lode SQL shell on " + where + ". End a statement with ';'; \\q, quit or Ctrl-D"
        + " leaves.");
    terminal.flush();
    try {
      while (true) {
        String text;
        try {
          text = reader.readLine("lode> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        if (leaves(text)) {
          break;
        }
        for (String statement : StatementSplitter.split(text)) {
          run.test(statement);
        }
        terminal.flush();
      }
    } finally {
      reader.getHistory().save();
    }
  }

  private static boolean leaves(String text) {
    String t = text.strip().replaceAll(";+$", "").strip();
    return t.equals("\\q") || t.equalsIgnoreCase("quit") || t.equalsIgnoreCase("exit");
  }

  /**
   * JLine's own parser, except that input whose last statement is not ended by a {@code ;}
   * continues on the next line (JLine's secondary prompt), so a statement is one history entry.
   */
  private static final class StatementParser implements Parser {
    private final DefaultParser words = new DefaultParser();

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      if (context == ParseContext.ACCEPT_LINE && !complete(line)) {
        throw new EOFError(-1, cursor, "the statement continues", ";");
      }
      // JLine's parser splits words only (for completion); quotes are SQL's, checked above
      return words.parse(line, cursor, context == ParseContext.ACCEPT_LINE ? ParseContext.SPLIT_LINE : context);
    }

    /** No escape character: a backslash is SQL's (and \q's), JLine must not drop it from the line. */
    @Override
    public boolean isEscapeChar(char ch) {
      return false;
    }

    private static boolean complete(String text) {
      return leaves(text) || StatementSplitter.ended(text);
    }
  }
}
