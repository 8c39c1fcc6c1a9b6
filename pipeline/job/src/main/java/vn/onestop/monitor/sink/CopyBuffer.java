package vn.onestop.monitor.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The bytes of one COPY, kept and reused from flush to flush by its writer. */
public final class CopyBuffer {
    private byte[] bytes = new byte[1 << 16];
    private int size;

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] bytes() {
        return bytes;
    }

    CopyBuffer ascii(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    CopyBuffer ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    CopyBuffer number(long v) {
        return ascii(Long.toString(v));
    }

    /** Text with COPY's escapes (backslash, tab, newline, carriage return) in UTF-8. */
    CopyBuffer escaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return utf8(s, i);
            }
            escape(c);
        }
        return this;
    }

    private CopyBuffer utf8(String s, int from) {
        StringBuilder rest = new StringBuilder(s.length() - from + 8);
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> rest.append("\\\\");
                case '\t' -> rest.append("\\t");
                case '\n' -> rest.append("\\n");
                case '\r' -> rest.append("\\r");
                default -> rest.append(c);
            }
        }
        byte[] b = rest.toString().getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    private void escape(char c) {
        switch (c) {
            case '\\' -> ascii('\\').ascii('\\');
            case '\t' -> ascii('\\').ascii('t');
            case '\n' -> ascii('\\').ascii('n');
            case '\r' -> ascii('\\').ascii('r');
            default -> ascii(c);
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
