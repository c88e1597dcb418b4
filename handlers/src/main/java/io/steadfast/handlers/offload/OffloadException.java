package io.steadfast.handlers.offload;

/**
 * A packet that this package cannot segment: an offload the kernel should not have asked for, or a
 * virtio header inconsistent with the packet behind it. The message says which; nothing was output.
 */
public final class OffloadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception whose message says what was wrong with the packet. */
    public OffloadException(String message) {
        super(message);
    }
}
