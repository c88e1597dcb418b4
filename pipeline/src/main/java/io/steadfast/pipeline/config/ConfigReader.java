package io.steadfast.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from one config object that never throw: a missing key or a wrong type becomes a
 * {@link Problem} naming file, line and full key, and the read returns a neutral value. Callers read
 * everything, then look at {@link Problems#isEmpty()}.
 *
 * <p>A reader looks at the user's object first and at the defaults (from {@code reference.conf}) second,
 * never at a merge of the two, so every value and every problem keeps the file and line it came from.
 *
 * <pre>{@code
 * ConfigReader tun = reader.child("tun");
 * int mtu = tun.intInRange("mtu", 576, 65535);
 * }</pre>
 */
public final class ConfigReader {
    private final Config user;
    private final Config defaults;
    private final String prefix;
    private final ConfigOrigin fallbackOrigin;
    private final Problems problems;

    /**
     * @param user           the user's object (substitutions resolved)
     * @param defaults       the defaults for the same object, possibly empty
     * @param prefix         its full path for messages, e.g. {@code steadfast.tun}
     * @param fallbackOrigin where to point for a missing key: the object's origin in the user's file
     */
    public ConfigReader(Config user, Config defaults, String prefix, ConfigOrigin fallbackOrigin, Problems problems) {
        this.user = user;
        this.defaults = defaults;
        this.prefix = prefix;
        this.fallbackOrigin = fallbackOrigin;
        this.problems = problems;
    }

    /** The config that answers for {@code key}: the user's if it sets it, else the defaults. */
    private Config src(String key) {
        return user.hasPath(key) ? user : defaults;
    }

    public Problems problems() {
        return problems;
    }

    /** The user's own object, without defaults. */
    public Config user() {
        return user;
    }

    /** The defaults for this object. */
    public Config defaults() {
        return defaults;
    }

    /** Full path of {@code key} for messages. */
    public String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** True if the key is present and not null. */
    public boolean has(String key) {
        return src(key).hasPath(key);
    }

    /** True if the user's object sets the key itself. */
    public boolean userHas(String key) {
        return user.hasPath(key);
    }

    /** Where {@code key} is defined (in the user's file, else in the defaults), or this object's origin. */
    public ConfigOrigin origin(String key) {
        return user.hasPath(key) ? user.getValue(key).origin() : fallbackOrigin;
    }

    /** The origin of this object itself. */
    public ConfigOrigin origin() {
        return fallbackOrigin;
    }

    /** Records a problem located at {@code key}. */
    public void problem(String key, String message) {
        problems.add(origin(key), path(key), message);
    }

    /** A reader for the object at {@code key}; a missing or non-object value is a problem (and an empty reader). */
    public ConfigReader child(String key) {
        Config empty = ConfigFactory.empty();
        Config childDefaults = objectAt(defaults, key);
        if (!user.hasPath(key)) {
            if (!defaults.hasPath(key)) problem(key, "missing; expected an object { ... }");
            return new ConfigReader(empty, childDefaults, path(key), fallbackOrigin, problems);
        }
        ConfigValue v = user.getValue(key);
        if (v.valueType() != ConfigValueType.OBJECT) {
            problem(key, "expected an object { ... }, found " + describe(v));
            return new ConfigReader(empty, childDefaults, path(key), v.origin(), problems);
        }
        return new ConfigReader(((ConfigObject) v).toConfig(), childDefaults, path(key), v.origin(), problems);
    }

    /** A reader over a user object found elsewhere (a list element), with its own defaults and path. */
    public ConfigReader reader(ConfigObject userObject, Config objectDefaults, String fullPath) {
        return new ConfigReader(userObject.toConfig(), objectDefaults, fullPath, userObject.origin(), problems);
    }

    private static Config objectAt(Config config, String key) {
        if (config.hasPath(key) && config.getValue(key).valueType() == ConfigValueType.OBJECT) {
            return config.getConfig(key);
        }
        return ConfigFactory.empty();
    }

    public String string(String key) {
        try {
            return src(key).getString(key);
        } catch (ConfigException.Missing e) {
            problem(key, "missing; expected a string");
        } catch (ConfigException e) {
            problem(key, "expected a string, found " + describe(src(key).getValue(key)));
        }
        return "";
    }

    /** A string that must be one of {@code allowed} (compared case-insensitively; returned lower-case). */
    public String oneOf(String key, Collection<String> allowed) {
        if (!has(key)) {
            problem(key, "missing; expected one of " + String.join(", ", allowed));
            return "";
        }
        String s = string(key).toLowerCase(java.util.Locale.ROOT);
        if (!s.isEmpty() && !allowed.contains(s)) {
            problem(key, "\"" + s + "\" is not allowed; expected one of " + String.join(", ", allowed));
            return "";
        }
        return s;
    }

    public boolean bool(String key) {
        try {
            return src(key).getBoolean(key);
        } catch (ConfigException.Missing e) {
            problem(key, "missing; expected true or false");
        } catch (ConfigException e) {
            problem(key, "expected true or false, found " + describe(src(key).getValue(key)));
        }
        return false;
    }

    public int intInRange(String key, int min, int max) {
        try {
            int v = src(key).getInt(key);
            if (v < min || v > max) problem(key, v + " is out of range; expected " + min + " to " + max);
            return v;
        } catch (ConfigException.Missing e) {
            problem(key, "missing; expected a whole number from " + min + " to " + max);
        } catch (ConfigException e) {
            problem(key, "expected a whole number from " + min + " to " + max + ", found " + describe(src(key).getValue(key)));
        }
        return min;
    }

    public double doubleInRange(String key, double min, double max) {
        try {
            double v = src(key).getDouble(key);
            if (!(v >= min && v <= max)) problem(key, v + " is out of range; expected " + min + " to " + max);
            return v;
        } catch (ConfigException.Missing e) {
            problem(key, "missing; expected a number from " + min + " to " + max);
        } catch (ConfigException e) {
            problem(key, "expected a number from " + min + " to " + max + ", found " + describe(src(key).getValue(key)));
        }
        return min;
    }

    /** A duration such as {@code 250ms} or {@code 2s}, at least {@code min}. */
    public Duration duration(String key, Duration min) {
        try {
            Duration d = src(key).getDuration(key);
            if (d.compareTo(min) < 0) problem(key, d.toMillis() + " ms is too short; expected at least " + min.toMillis() + " ms");
            return d;
        } catch (ConfigException.Missing e) {
            problem(key, "missing; expected a duration such as 250ms or 2s");
        } catch (ConfigException e) {
            problem(key, "expected a duration such as 250ms or 2s, found " + describe(src(key).getValue(key)));
        }
        return min;
    }

    /** A file path; relative paths stay relative (to the working directory). */
    public Path path(String key, boolean required) {
        if (!required && !has(key)) return null;
        String s = string(key);
        if (s.isEmpty()) {
            if (has(key)) problem(key, "empty; expected a file path");
            return null;
        }
        try {
            return Path.of(s);
        } catch (RuntimeException e) {
            problem(key, "\"" + s + "\" is not a usable path: " + e.getMessage());
            return null;
        }
    }

    /** The list at {@code key} (empty if missing and not required), each element with its own origin. */
    public List<ConfigValue> list(String key, boolean required) {
        if (!has(key)) {
            if (required) problem(key, "missing; expected a list [ ... ]");
            return List.of();
        }
        ConfigValue v = src(key).getValue(key);
        if (v.valueType() != ConfigValueType.LIST) {
            problem(key, "expected a list [ ... ], found " + describe(v));
            return List.of();
        }
        return new ArrayList<>(src(key).getList(key));
    }

    /** A list of strings; a non-string element is a problem at that element's line. */
    public List<String> strings(String key, boolean required) {
        List<String> out = new ArrayList<>();
        List<ConfigValue> values = list(key, required);
        for (int i = 0; i < values.size(); i++) {
            ConfigValue e = values.get(i);
            if (e.valueType() == ConfigValueType.STRING) {
                out.add((String) e.unwrapped());
            } else {
                problems.add(e.origin(), path(key) + "[" + i + "]", "expected a string, found " + describe(e));
            }
        }
        return out;
    }

    /** Flags every key of this object that is not in {@code known}: a typo must not pass silently. */
    public void rejectUnknownKeys(Set<String> known) {
        for (String k : user.root().keySet()) {
            if (!known.contains(k)) {
                String quoted = com.typesafe.config.ConfigUtil.joinPath(k);
                problems.add(user.root().get(k).origin(), path(quoted),
                        "unknown key; expected one of " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** A short description of a value for messages: its type and, for scalars, the value. */
    public static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NULL -> "null";
            case STRING -> "the string \"" + v.unwrapped() + "\"";
            default -> v.valueType().name().toLowerCase(java.util.Locale.ROOT) + " " + v.unwrapped();
        };
    }
}
