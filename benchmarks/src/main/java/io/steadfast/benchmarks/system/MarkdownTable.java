package io.steadfast.benchmarks.system;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table: a header, then rows of cells; the first column is left-aligned, the others right-aligned.
 *
 * <pre>{@code
 * MarkdownTable t = new MarkdownTable("path", "Mbit/s");
 * t.row("bare", "15189");
 * System.out.print(t);
 * }</pre>
 */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    /** Adds a row; it must have as many cells as the header. */
    MarkdownTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        line(s, header);
        s.append("|---|");
        s.append("---:|".repeat(header.size() - 1)).append('\n');
        rows.forEach(r -> line(s, r));
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells) {
        s.append('|');
        for (String c : cells) s.append(' ').append(c.replace("|", "\\|")).append(" |");
        s.append('\n');
    }
}
