/** Profiles: HOCON files under a {@code steadfast} root, read and checked into plain records. */
package io.steadfast.pipeline.profile;
