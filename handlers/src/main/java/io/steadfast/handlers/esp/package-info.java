/** The ESP stages: {@code esp-encrypt} and {@code esp-decrypt}, thin adapters over {@code io.steadfast.esp}. */
package io.steadfast.handlers.esp;
