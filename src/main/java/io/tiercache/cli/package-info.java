/**
 * The {@code tiercache} command line: look inside, verify, compact, export and import a cache directory, read
 * a running JVM's per-tier figures, and run the demo. Built on picocli and shipped as the self-contained
 * {@code tiercache-<version>-cli.jar}; picocli and Jackson's streaming core are optional dependencies that
 * only this package uses.
 */
package io.tiercache.cli;
