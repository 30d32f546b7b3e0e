package io.tiercache.cli;

/** A failure the command line reports as one line and exit code 2: bad input, a held directory, an I/O error. */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
