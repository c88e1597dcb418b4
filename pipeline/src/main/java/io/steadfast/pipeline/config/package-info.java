/** Reading profiles without surprises: typed reads that report every problem with file, line and key. */
package io.steadfast.pipeline.config;
