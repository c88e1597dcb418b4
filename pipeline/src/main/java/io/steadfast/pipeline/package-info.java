/**
 * Profiles from config, the stage registry, Dagger wiring and the {@code steadfast} command line.
 * Subpackages: {@code config} (checked reads), {@code stages} (registry), {@code profile} (the model and
 * its loader), {@code runtime} (a running instance), {@code control} (the control socket),
 * {@code cli} (commands), {@code demo}.
 */
package io.steadfast.pipeline;
