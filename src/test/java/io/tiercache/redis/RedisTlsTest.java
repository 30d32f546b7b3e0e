package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.configuration.TierCacheConfiguration;
import io.tiercache.testing.ChildJvm;
import io.tiercache.testing.RedisServer;
import io.tiercache.testing.TestCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} on a real TLS server with a certificate of the test's own: a JVM that trusts it (through
 * {@code javax.net.ssl.trustStore}) reads and writes; one that does not is refused at createCache with a
 * message saying the handshake failed and what to trust.
 */
class RedisTlsTest {

  @TempDir
  Path directory;

  @Test
  void aTrustedServerIsUsedOverTlsAndAnUntrustedOneRefusedSayingWhy() throws Exception {
    // a self-signed certificate made with the JDK alone (keytool), written out as the PEM files Redis reads
    Path keyStore = directory.resolve("server.p12");
    Path trustStore = directory.resolve("trust.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keyStore.toString(), "-storetype",
        "PKCS12", "-storepass", "changeit");
    KeyStore generated = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keyStore)) {
      generated.load(in, "changeit".toCharArray());
    }
    Path key = directory.resolve("key.pem");
    Path certificate = directory.resolve("cert.pem");
    Files.writeString(key, pem("PRIVATE KEY", generated.getKey("redis", "changeit".toCharArray()).getEncoded()));
    Files.writeString(certificate, pem("CERTIFICATE", generated.getCertificate("redis").getEncoded()));
    run(keytool, "-importcert", "-noprompt", "-alias", "redis", "-file", certificate.toString(), "-keystore",
        trustStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    int tlsPort = RedisServer.freePort();
    try (RedisServer server = RedisServer.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
        certificate.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file", certificate.toString(),
        "--tls-auth-clients", "no")) {
      String uri = "rediss://127.0.0.1:" + tlsPort;
      try (ChildJvm trusting = ChildJvm.start(List.of("-Djavax.net.ssl.trustStore=" + trustStore,
          "-Djavax.net.ssl.trustStorePassword=changeit"), RedisChild.class, "roundtrip", uri, "tls")) {
        assertThat(trusting.awaitLine("READ ", 60)).isEqualTo("READ over the wire");
      }
      try (CacheManager manager = TestCaches.newManager()) {
        assertThatThrownBy(() -> manager.createCache("untrusted", TierCacheConfiguration.builder(String.class,
            String.class).redis(uri).build())).isInstanceOf(CacheException.class)
            .hasMessageContaining("TLS handshake failed").hasMessageContaining("127.0.0.1:" + tlsPort);
      }
      assertThat(server.cli("--scan", "--pattern", "tc:tls:e*")).as("the round trip went to this server")
          .isNotBlank();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("%s: %s", command[0], output).isZero();
  }
}
