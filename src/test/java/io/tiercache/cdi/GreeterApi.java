package io.tiercache.cdi;

/** The interface the container-free proxy implements. */
public interface GreeterApi {
  int invocations();

  String greet(String name);

  String greetIn(String language, String name);

  void store(String name, String greeting);

  void forget(String name);

  void forgetAll();

  String fragile(String input);

  String caseInsensitive(String name);

  String refreshed(String name);

  String resolvedElsewhere(String name);

  void storeEagerly(String name, String greeting, boolean fail);

  void forgetUnlessRejected(String name, boolean reject);
}
