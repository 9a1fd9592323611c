package io.dsynq.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Decodes UTF-8 and refuses anything else, saying on which physical line the bad bytes are. The CSV parser
 * reads ahead, so only the decoder knows where they are.
 */
final class StrictUtf8Reader extends Reader {

    /** Bytes that are not UTF-8, on a given line. */
    static final class MalformedLineException extends CharacterCodingException {

        private static final long serialVersionUID = 1L;

        private final long line;

        private final String problem;

        MalformedLineException(long line, String problem) {
            this.line = line;
            this.problem = problem;
        }

        long line() {
            return line;
        }

        /** What is wrong, for a person: the bytes and the text of the line before them. */
        String problem() {
            return problem;
        }
    }

    /** How much of the line before bad bytes an error shows. */
    private static final int SHOWN = 40;

    private final InputStream in;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();

    private boolean endOfInput;

    private boolean flushed;

    /** Whether characters were decoded: bytes that begin a file in UTF-16 are told apart only before them. */
    private boolean produced;

    private final LineBreaks lineBreaks = new LineBreaks();

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            if (flushed) {
                return -1;
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            lineBreaks.scan(buffer, offset, out.position());
            if (result.isError()) {
                throw new MalformedLineException(
                        lineBreaks.count() + 1, problem(buffer, offset, out.position(), result.length()));
            }
            if (result.isUnderflow() && out.position() == offset) {
                if (endOfInput) {
                    decoder.flush(out);
                    flushed = true;
                } else {
                    fill();
                }
            }
        }
        produced = true;
        return out.position() - offset;
    }

    /**
     * Names the {@code length} bad bytes at the decoder's position and what of their line this read decoded before
     * them ({@code buffer[offset, end)}): a file saved as Windows-1252 or ISO-8859-1 ({@code café} as {@code 63 61 66
     * E9}) is the usual cause.
     */
    private String problem(char[] buffer, int offset, int end, int length) {
        int at = bytes.position();
        if (!produced && end == offset && bytes.remaining() >= 2) {
            int first = bytes.get(at) & 0xFF;
            int second = bytes.get(at + 1) & 0xFF;
            if ((first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF)) {
                return "the file is not valid UTF-8: bytes "
                        + HexFormat.of().withUpperCase().toHexDigits((byte) first)
                        + " " + HexFormat.of().withUpperCase().toHexDigits((byte) second) + ", which begin a file in"
                        + " UTF-16 (as a spreadsheet saves \"Unicode text\"); save it as UTF-8";
            }
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++) {
            hex.append(i == 0 ? "" : " ")
                    .append(HexFormat.of().withUpperCase().toHexDigits(bytes.get(bytes.position() + i)));
        }
        int start = end;
        while (start > offset && end - start < SHOWN && buffer[start - 1] != '\n' && buffer[start - 1] != '\r') {
            start--;
        }
        String before = new String(buffer, start, end - start);
        return "the file is not valid UTF-8: byte" + (length == 1 ? " " : "s ") + hex
                + (before.isEmpty() ? "" : " after '" + before + "'")
                + " (a file saved as Windows-1252 or ISO-8859-1 holds such bytes; save it as UTF-8)";
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
