package io.steadfast.ike.auth;

/**
 * A peer that did not prove its identity: an AUTH that does not verify, a certificate no trusted CA issued, a
 * certificate that does not name the identity claimed. The message is the reason for the one log line.
 *
 * <pre>{@code
 * try { validator.validate(chain); } catch (AuthenticationException e) { fail("gw: " + e.getMessage()); }
 * }</pre>
 */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with its reason. */
    public AuthenticationException(String message) {
        super(message);
    }

    /** A failure with its reason and cause. */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
