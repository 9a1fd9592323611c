package io.dsynq.core.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The id of a delta: a timestamp {@code seconds.micros} such as {@code 1528442433.821985}, as {@code dsynq:new}
 * makes it. Ids order and compare as numbers, so {@code 1528442433.5} and {@code 1528442433.500000} are the same id
 * (two delta folders with them are an error).
 *
 * @param text the id as its folder writes it: digits, no leading zeros, optionally a point and up to nine digits
 */
public record DeltaId(String text) implements Comparable<DeltaId> {

    private static final Pattern FORM = Pattern.compile("[1-9][0-9]{0,11}(\\.[0-9]{1,9})?");

    public DeltaId {
        if (text == null || !FORM.matcher(text).matches()) {
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
        return text != null && FORM.matcher(text).matches();
    }

    /** The id for a delta made at {@code instant}, with microsecond precision. */
    public static DeltaId of(Instant instant) {
        return new DeltaId(String.format(Locale.ROOT, "%d.%06d", instant.getEpochSecond(), instant.getNano() / 1000));
    }

    /** The id as a number. */
    public BigDecimal value() {
        return new BigDecimal(text);
    }

    /** The moment this id stands for. */
    public Instant instant() {
        BigDecimal value = value();
        long seconds = value.longValue();
        return Instant.ofEpochSecond(
                seconds,
                value.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue());
    }

    @Override
    public int compareTo(DeltaId other) {
        return value().compareTo(other.value());
    }

    /** Equal when the numbers are: {@code 1.5} equals {@code 1.500000}. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DeltaId id && compareTo(id) == 0;
    }

    @Override
    public int hashCode() {
        return value().stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
