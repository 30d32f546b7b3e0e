package io.tiercache.encryption;

import io.tiercache.cli.TierCacheCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line in this JVM: its exit code and what it wrote. */
record StringWriterRun(int code, String out, String err) {

  static StringWriterRun cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TierCacheCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new StringWriterRun(code, out.toString(), err.toString());
  }
}
