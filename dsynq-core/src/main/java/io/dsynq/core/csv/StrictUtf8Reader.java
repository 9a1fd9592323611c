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

/**
 * Decodes UTF-8 and refuses anything else, saying on which physical line the bad bytes are. The CSV parser
 * reads ahead, so only the decoder knows where they are.
 */
final class StrictUtf8Reader extends Reader {

    /** Bytes that are not UTF-8, on a given line. */
    static final class MalformedLineException extends CharacterCodingException {

        private static final long serialVersionUID = 1L;

        private final long line;

        MalformedLineException(long line) {
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    private final InputStream in;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();

    private boolean endOfInput;

    private boolean flushed;

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
                throw new MalformedLineException(lineBreaks.count() + 1);
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
        return out.position() - offset;
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
