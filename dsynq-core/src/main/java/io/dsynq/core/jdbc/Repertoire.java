package io.dsynq.core.jdbc;

import java.nio.charset.Charset;
import java.util.BitSet;

/**
 * The characters a text column holds where that is less than all of Unicode: the repertoire of its character set
 * (MariaDB's {@code latin1}, {@code utf8mb3}, a PostgreSQL database in {@code LATIN2}). The server refuses any other
 * character, or stores a {@code ?} in its place; dsynq refuses it first, naming the value.
 */
public final class Repertoire {

    private final String name;

    /** The characters of the Basic Multilingual Plane held; none beyond it is. {@code null}: all of that plane. */
    private final BitSet held;

    private Repertoire(String name, BitSet held) {
        this.name = name;
        this.held = held;
    }

    /** A character set of the Basic Multilingual Plane, which holds no character beyond it ({@code utf8mb3}). */
    public static Repertoire basicPlane(String name) {
        return new Repertoire(name, null);
    }

    /**
     * A character set of one byte per character, whose 256 bytes {@code charset} decodes to what it holds; a byte it
     * leaves undefined decodes to U+FFFD.
     */
    public static Repertoire singleByte(String name, Charset charset) {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return of(name, new String(bytes, charset).replace('\uFFFD', '?'));
    }

    /**
     * A character set of one byte per character, whose 256 bytes decode to {@code decoded}: a {@code ?} in another
     * place than the question mark's own is a byte the set leaves undefined.
     */
    public static Repertoire of(String name, String decoded) {
        if (decoded.length() != 256) {
            throw new IllegalArgumentException(name + " decodes 256 bytes to " + decoded.length() + " characters");
        }
        BitSet held = new BitSet(0x10000);
        for (int b = 0; b < 256; b++) {
            if (decoded.charAt(b) != '?' || b == '?') {
                held.set(decoded.charAt(b));
            }
        }
        return new Repertoire(name, held);
    }

    /** The character set's name, as the database calls it. */
    public String name() {
        return name;
    }

    /** The first character of {@code text} the character set does not hold, or -1 where it holds them all. */
    public int firstUnheld(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                return text.codePointAt(i);
            }
            if (held != null && !held.get(c)) {
                return c;
            }
        }
        return -1;
    }
}
