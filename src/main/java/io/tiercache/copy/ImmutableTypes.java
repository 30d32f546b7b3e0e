package io.tiercache.copy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Knows which classes are deeply immutable, so store-by-value can hand them out without copying. Only exact
 * final JDK classes qualify (a subclass of a non-final class could add mutable state), plus enums and zone ids.
 */
final class ImmutableTypes {

  private static final Set<Class<?>> EXACT = Set.of(
      String.class, Boolean.class, Byte.class, Short.class, Character.class, Integer.class, Long.class,
      Float.class, Double.class, BigInteger.class, BigDecimal.class, UUID.class, URI.class, Locale.class,
      Class.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class, ZonedDateTime.class,
      OffsetDateTime.class, OffsetTime.class, Duration.class, Period.class, Year.class, YearMonth.class,
      MonthDay.class, DayOfWeek.class);

  private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return EXACT.contains(type) || type.isEnum() || Enum.class.isAssignableFrom(type)
          || ZoneId.class.isAssignableFrom(type);
    }
  };

  private ImmutableTypes() { }

  static boolean isImmutable(Class<?> type) {
    return IMMUTABLE.get(type);
  }
}
