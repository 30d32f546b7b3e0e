package io.tiercache.cli;

import com.sun.tools.attach.VirtualMachine;

/** Finds the JMX address of a local JVM, starting its local management agent when it has none running. */
final class LocalAgent {

  private LocalAgent() { }

  static String address(long pid) {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (Exception e) {
      throw new CliException("Cannot attach to process " + pid + " (" + e.getMessage() + "): it must be a JVM"
          + " running as the same user; or give --jmx URL", e);
    } catch (LinkageError e) {
      throw new CliException("This Java runtime has no attach API (jdk.attach): run the command line on a JDK,"
          + " or give --jmx URL", e);
    }
    try {
      return vm.startLocalManagementAgent();
    } catch (Exception e) {
      throw new CliException("Process " + pid + " did not start its local management agent: " + e.getMessage(), e);
    } finally {
      try {
        vm.detach();
      } catch (java.io.IOException ignored) {
        // the address is what mattered
      }
    }
  }
}
