package vn.onestop.monitor.local;

/**
 * Shows {@code make run}'s table: on a terminal each refresh replaces the previous one in place; elsewhere (a pipe,
 * a file, a CI log) each refresh is appended as plain text without control codes.
 *
 * <p>In place means: move the cursor up over the previous frame and clear to the end of the screen. Clearing the
 * whole screen ({@code ESC[2J}) instead pushes every frame into the scrollback of common terminals, which looked
 * like a fresh table appended at every refresh. Line wrapping is switched off while a frame is drawn, so a line
 * wider than the terminal is cut at its edge rather than wrapped, and a frame of n lines always takes n rows.
 */
final class Redraw {
    static final String ESC = "\033[";
    private final boolean terminal;
    private int previousLines;

    Redraw(boolean terminal) {
        this.terminal = terminal;
    }

    /** The terminal's answer when standard input and output are both a terminal (Java 17's System.console()). */
    static Redraw forThisProcess() {
        return new Redraw(System.console() != null);
    }

    /** What to print for this refresh: the text, preceded on a terminal by what erases the previous frame. */
    String frame(String text) {
        String body = text.endsWith("\n") ? text : text + "\n";
        if (!terminal) {
            return body + "\n";
        }
        StringBuilder out = new StringBuilder();
        if (previousLines > 0) {
            out.append(ESC).append(previousLines).append('A').append('\r');
        }
        out.append(ESC).append('J').append(ESC).append("?7l").append(body).append(ESC).append("?7h");
        previousLines = (int) body.chars().filter(c -> c == '\n').count();
        return out.toString();
    }
}
