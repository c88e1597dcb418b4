package io.steadfast.pipeline.config;

/**
 * One thing wrong with a profile, located for a human: {@code file:line: key: message}.
 *
 * @param file    the file the value came from ({@code reference.conf} for defaults), or {@code null}
 * @param line    its line, or -1 if unknown
 * @param key     the full config path, e.g. {@code steadfast.tun.addresses[0]}
 * @param message what is wrong and what is expected
 */
public record Problem(String file, int line, String key, String message) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(file == null ? "<unknown file>" : file);
        if (line > 0) s.append(':').append(line);
        s.append(": ");
        if (key != null && !key.isEmpty()) s.append(key).append(": ");
        return s.append(message).toString();
    }
}
