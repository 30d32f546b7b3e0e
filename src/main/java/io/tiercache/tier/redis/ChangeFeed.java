package io.tiercache.tier.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes other processes commit to a cache, as the scripts publish them on the cache's channel: each
 * message is decoded into a {@link Change} and handed, in the order Redis delivered them, to a consumer on a
 * thread of its own (never on Lettuce's I/O thread, which a listener calling back into the cache would
 * block). Messages this process published itself are skipped: their events were delivered with the
 * operation.
 *
 * <p>Frame layout: origin (8 bytes), time in epoch milliseconds (8), then key bytes, new record and old
 * record, each as a big-endian int length (-1: none) and the bytes.
 */
final class ChangeFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** A committed change of one key. */
  static final class Change {
    final long origin;
    final long atMillis;
    final byte[] keyBytes;
    final byte[] newRecord;   // null when removed
    final byte[] oldRecord;   // null when the key was absent

    Change(long origin, long atMillis, byte[] keyBytes, byte[] newRecord, byte[] oldRecord) {
      this.origin = origin;
      this.atMillis = atMillis;
      this.keyBytes = keyBytes;
      this.newRecord = newRecord;
      this.oldRecord = oldRecord;
    }
  }

  /** Receives the changes of other processes. */
  interface Consumer {
    void accept(Change change);
  }

  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final ExecutorService delivery;

  private ChangeFeed(StatefulRedisPubSubConnection<byte[], byte[]> connection, ExecutorService delivery) {
    this.connection = connection;
    this.delivery = delivery;
  }

  /** Returns the head of a frame: the origin and the time of the change. */
  static byte[] head(long origin, long atMillis) {
    return ByteBuffer.allocate(16).putLong(origin).putLong(atMillis).array();
  }

  /** Subscribes to {@code channel}; changes whose origin is {@code self} are skipped. */
  static ChangeFeed subscribe(RedisLink link, byte[] channel, long self, String cache, Consumer consumer) {
    ThreadPoolExecutor delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "tiercache-redis-changes-" + cache);
          thread.setDaemon(true);
          return thread;
        });
    StatefulRedisPubSubConnection<byte[], byte[]> connection = link.connectPubSub();
    connection.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] from, byte[] message) {
        Change change;
        try {
          change = decode(message);
        } catch (RuntimeException malformed) {
          LOG.warn("Ignoring a malformed change message on {}: {}", cache, malformed.toString());
          return;
        }
        if (change.origin == self) {
          return;
        }
        delivery.execute(() -> {
          try {
            consumer.accept(change);
          } catch (RuntimeException e) {
            LOG.warn("A change from another process could not be delivered to the listeners of {}: {}", cache,
                e.toString());
          }
        });
      }
    });
    try {
      connection.sync().subscribe(channel);
    } catch (RuntimeException e) {
      connection.close();
      delivery.shutdownNow();
      throw e;
    }
    return new ChangeFeed(connection, delivery);
  }

  static Change decode(byte[] message) {
    ByteBuffer buffer = ByteBuffer.wrap(message);
    long origin = buffer.getLong();
    long at = buffer.getLong();
    byte[] key = part(buffer);
    byte[] newRecord = part(buffer);
    byte[] oldRecord = part(buffer);
    if (key == null || buffer.hasRemaining()) {
      throw new IllegalArgumentException("frame of " + message.length + " bytes does not parse");
    }
    return new Change(origin, at, key, newRecord, oldRecord);
  }

  private static byte[] part(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (RuntimeException ignored) {
      // closing anyway
    }
    delivery.shutdown();
  }
}
