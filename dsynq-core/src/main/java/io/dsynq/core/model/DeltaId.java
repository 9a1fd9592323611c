package io.dsynq.core.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The id of a delta: a timestamp {@code seconds.micros} such as {@code 1528442433.821985}, as {@code dsynq:new}
 * makes it. Ids order as numbers.
 *
 * @param text the id as written, always in canonical form (no leading zeros, six fractional digits)
 */
public record DeltaId(String text) implements Comparable<DeltaId> {

    private static final Pattern CANONICAL = Pattern.compile("[1-9][0-9]{0,11}\\.[0-9]{6}");

    public DeltaId {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a delta id: expected a timestamp"
                    + " seconds.micros such as 1528442433.821985");
        }
    }

    /**
     * Parses an id.
     *
     * @throws IllegalArgumentException with a message for a person when {@code text} is not a delta id
     */
    public static DeltaId parse(String text) {
        return new DeltaId(text);
    }

    /** Whether {@code text} is a well-formed delta id. */
    public static boolean isValid(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }

    /** The id for a delta made at {@code instant}, with microsecond precision. */
    public static DeltaId of(Instant instant) {
        return new DeltaId(String.format("%d.%06d", instant.getEpochSecond(), instant.getNano() / 1000));
    }

    /** The id as a number, for ordering. */
    public BigDecimal value() {
        return new BigDecimal(text);
    }

    /** The moment this id stands for. */
    public Instant instant() {
        int dot = text.indexOf('.');
        return Instant.ofEpochSecond(
                Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)) * 1000);
    }

    @Override
    public int compareTo(DeltaId other) {
        return value().compareTo(other.value());
    }

    @Override
    public String toString() {
        return text;
    }
}
