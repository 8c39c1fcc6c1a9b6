package vn.onestop.monitor.units;

import java.io.IOException;

/**
 * Reference data that breaks a rule of the registry. It names the file and the line so that whoever maintains the
 * CSV can fix it without reading code; the whole load is refused, so nothing half-loaded reaches the job.
 * It is an {@link IOException} because callers of {@code reference.ReferenceData} already treat a bad reference file as one.
 */
public final class ReferenceDataError extends IOException {
    private final String file;
    private final int line;

    /** @param line the line in the file, counting the header as line 1; 0 when the problem is the file as a whole */
    public ReferenceDataError(String file, int line, String problem) {
        super(file + (line > 0 ? " line " + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
