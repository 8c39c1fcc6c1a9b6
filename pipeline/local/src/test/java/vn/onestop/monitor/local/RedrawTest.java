package vn.onestop.monitor.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** make run's refresh (issue 14): in place on a terminal, plain appends anywhere else. */
class RedrawTest {
    @Test
    void onATerminalEachFrameMovesUpOverThePreviousOneAndClearsBelow() {
        Redraw r = new Redraw(true);
        String first = r.frame("header\nrow 1\nrow 2\n");
        assertThat(first).as("nothing to erase yet").doesNotContain("A\r").startsWith("\033[J");
        String second = r.frame("header\nrow 1\nrow 2\nrow 3");
        assertThat(second).startsWith("\033[3A\r\033[J").contains("row 3\n");
        assertThat(r.frame("x\n")).as("the frame before had four lines").startsWith("\033[4A\r\033[J");
        assertThat(second).as("never the whole-screen clear that fills the scrollback").doesNotContain("\033[2J");
    }

    @Test
    void elsewhereFramesAreAppendedWithoutControlCodes() {
        Redraw r = new Redraw(false);
        assertThat(r.frame("header\nrow 1")).isEqualTo("header\nrow 1\n\n");
        assertThat(r.frame("header\nrow 2\n")).isEqualTo("header\nrow 2\n\n").doesNotContain("\033");
    }
}
