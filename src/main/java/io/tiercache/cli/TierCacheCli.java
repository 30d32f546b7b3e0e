package io.tiercache.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tiercache} command: {@code java -jar tiercache-<version>-cli.jar <command>}. Exit codes: 0 done,
 * 1 damage found ({@code verify}, {@code inspect}), 2 the command could not do its work (the one-line message
 * says why).
 */
@Command(name = "tiercache", mixinStandardHelpOptions = true, versionProvider = TierCacheCli.Version.class,
    description = "Looks after tiercache directories and running caches.",
    subcommands = {InspectCommand.class, VerifyCommand.class, CompactCommand.class, ExportCommand.class,
        ImportCommand.class, RekeyCommand.class, StatsCommand.class, ProfileCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class TierCacheCli {

  /** Exit code of a command that did its work and found nothing wrong. */
  public static final int OK = 0;
  /** Exit code of {@code verify} or {@code inspect} when a store holds damage or does not open. */
  public static final int DAMAGE_FOUND = 1;
  /** Exit code of a command that could not do its work. */
  public static final int FAILED = 2;

  private TierCacheCli() { }

  /**
   * Runs a command and exits with its code.
   *
   * @param args the command and its arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command, writing to {@code out} and {@code err}, and returns its exit code (for tests and embedding). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(TierCacheCli.class);
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler((e, command, parsed) -> {
      // one clear line; the stack trace only when asked for
      err.println("tiercache " + command.getCommandName() + ": " + oneLine(e));
      if (Boolean.getBoolean("tiercache.cli.trace")) {
        e.printStackTrace(err);
      }
      err.flush();
      return FAILED;
    });
    line.setParameterExceptionHandler((e, arguments) -> {
      err.println("tiercache: " + e.getMessage());
      err.println("Run 'tiercache help " + (e.getCommandLine().getParent() == null ? ""
          : e.getCommandLine().getCommandName()) + "' for usage.");
      err.flush();
      return FAILED;
    });
    int code = line.execute(args);
    out.flush();
    return code;
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    return message.replace('\n', ' ');
  }

  /** The version of the jar the command runs from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TierCacheCli.class.getPackage().getImplementationVersion();
      return new String[] {"tiercache " + (version == null ? "(development build)" : version)};
    }
  }
}
