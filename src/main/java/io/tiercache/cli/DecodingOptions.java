package io.tiercache.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of commands that decode values: which classes may be decoded, and where to find them. */
final class DecodingOptions {

  @Option(names = "--allow", paramLabel = "PATTERN",
      description = "A class allowlist pattern, as in serializer.allowlist (com.example.Order, com.example.*,"
          + " com.example.**); repeat for several.")
  List<String> allowlist = new ArrayList<>();

  @Option(names = "--class-path", paramLabel = "PATH",
      description = "Jars and class directories holding the application's classes, separated as in a Java class"
          + " path (':' here, ';' on Windows); repeat for several.")
  List<String> classPath = new ArrayList<>();

  /** A class loader for one command, closed when the command ends (it holds the jars open). */
  static final class Loader implements AutoCloseable {
    private final ClassLoader loader;

    Loader(ClassLoader loader) {
      this.loader = loader;
    }

    ClassLoader get() {
      return loader;
    }

    @Override
    public void close() throws java.io.IOException {
      if (loader instanceof URLClassLoader) {
        ((URLClassLoader) loader).close();
      }
    }
  }

  /** Returns a class loader over the given class path, above the command line's own. */
  Loader loader() {
    return new Loader(classLoader());
  }

  private ClassLoader classLoader() {
    if (classPath.isEmpty()) {
      return DecodingOptions.class.getClassLoader();
    }
    List<URL> urls = new ArrayList<>();
    List<Path> entries = new ArrayList<>();
    classPath.forEach(path -> java.util.Arrays.stream(path.split(java.util.regex.Pattern.quote(File.pathSeparator)))
        .filter(part -> !part.isEmpty()).map(Path::of).forEach(entries::add));
    for (Path entry : entries) {
      if (!Files.exists(entry)) {
        throw new CliException("--class-path entry " + entry + " does not exist");
      }
      try {
        urls.add(entry.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new CliException("--class-path entry " + entry + " is not usable: " + e.getMessage(), e);
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), DecodingOptions.class.getClassLoader());
  }
}
