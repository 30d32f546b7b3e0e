package io.tiercache.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What the commands that work on a directory share: the directory, and where their output goes. */
abstract class DirectoryCommand {

  @Parameters(index = "0", paramLabel = "DIR", description = "The tiercache directory.")
  Path directory;

  @Spec
  CommandSpec spec;

  java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
