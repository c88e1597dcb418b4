/** IKEv2 authentication: the signed octets (RFC 7296 2.15) and pre-shared key AUTH. */
package io.steadfast.ike.auth;
