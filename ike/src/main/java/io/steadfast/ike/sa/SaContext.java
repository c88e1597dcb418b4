package io.steadfast.ike.sa;

import io.steadfast.ike.Ike;
import io.steadfast.ike.NatTraversal;
import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.IdPayload;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state one IKE SA shares with its exchanges: SPIs, nonces, the IKE_SA_INIT messages (AUTH signs them),
 * keys and SK ciphers, addresses, identities, Child SAs, and the events an input produced. Package-private and
 * mutable; the {@link IkeSa} that owns it is its only user.
 *
 * <pre>{@code
 * byte[] octets = SignedOctets.of(context.initRequest, context.nr, prf, context.keys.skPi(), idi);
 * Datagram d = context.frame(message);   // with the non-ESP marker once on the NAT-T port
 * }</pre>
 */
final class SaContext {
    final boolean initiator;
    final SecureRandom random;
    final InetSocketAddress local;
    final Retransmission retransmission;
    final int fragmentSize;
    final InitiatorConfig initiatorConfig;
    final ResponderConfig responderConfig;
    final VirtualIpPool pool;
    IkeSa owner;

    InetSocketAddress remote;
    /** IKE runs on the NAT-T port: messages carry the non-ESP marker. */
    boolean natt;
    /** ESP of this SA's children goes in UDP. */
    boolean udpEncapsulation;
    long spiI;
    long spiR;
    byte[] ni;
    byte[] nr;
    byte[] initRequest;
    byte[] initResponse;
    IkeSaKeys keys;
    SkCipher outCipher;
    SkCipher inCipher;
    boolean fragmentation;
    IdPayload peerId;
    String ikeProposal = "";
    Inet4Address virtualIp;
    boolean initialContact;
    InetSocketAddress lastSource;
    /** The last message received, as it came (without the non-ESP marker). */
    byte[] lastRaw;
    final List<ChildSa> children = new ArrayList<>();
    final List<IkeEvent> events = new ArrayList<>();
    /** Exchanges an exchange asks for once it is done (the delete after a rekey); they go first in the queue. */
    final List<Exchange> followUps = new ArrayList<>();
    /** The Child SA our own CREATE_CHILD_SA is rekeying, or null (to spot a rekey collision). */
    ChildSa rekeying;

    SaContext(boolean initiator, SecureRandom random, InetSocketAddress local, InetSocketAddress remote,
            Retransmission retransmission, int fragmentSize, InitiatorConfig initiatorConfig,
            ResponderConfig responderConfig, VirtualIpPool pool) {
        this.initiator = initiator;
        this.random = random;
        this.local = local;
        this.remote = remote;
        this.retransmission = retransmission;
        this.fragmentSize = fragmentSize;
        this.initiatorConfig = initiatorConfig;
        this.responderConfig = responderConfig;
        this.pool = pool;
    }

    /** Installs the IKE SA keys and the SK ciphers of both directions. */
    void install(IkeSaKeys derived) {
        keys = derived;
        outCipher = derived.cipher(initiator, random);
        inCipher = derived.cipher(!initiator, random);
    }

    /** The UDP payload for an IKE message: behind the non-ESP marker once IKE moved to the NAT-T port. */
    Datagram frame(byte[] message) {
        return new Datagram(remote, natt ? NatTraversal.addNonEspMarker(message) : message);
    }

    /** A fresh SPI for an inbound ESP SA (never 0..255, which RFC 4303 reserves). */
    int newChildSpi() {
        int spi;
        do {
            spi = random.nextInt();
        } while (Integer.compareUnsigned(spi, 0x1000) < 0);
        return spi;
    }

    /** A fresh IKE SPI whose first four bytes are not zero (so it never looks like a non-ESP marker). */
    static long newIkeSpi(SecureRandom random) {
        long spi;
        do {
            spi = random.nextLong();
        } while ((spi >>> 32) == 0);
        return spi;
    }

    /** Our identity in this SA's role. */
    IdPayload localId() {
        return initiator ? Identities.parse(initiatorConfig.localId(), true)
                : Identities.parse(responderConfig.localId(), false);
    }

    /** Our ESP proposals in strongSwan's syntax (DH groups included: CREATE_CHILD_SA may do PFS). */
    String espProposals() {
        return initiator ? initiatorConfig.espProposals() : responderConfig.espProposals();
    }

    /** Header flags of a message we send. */
    int flags(boolean response) {
        return (response ? Ike.FLAG_RESPONSE : 0) | (initiator ? Ike.FLAG_INITIATOR : 0);
    }

    /** Zeroes keys and nonces; the SA can no longer send or open anything. */
    void destroy() {
        if (outCipher != null) outCipher.close();
        if (inCipher != null) inCipher.close();
        if (keys != null) keys.close();
        if (ni != null) Arrays.fill(ni, (byte) 0);
        if (nr != null) Arrays.fill(nr, (byte) 0);
    }

    static byte[] spiBytes(int spi) {
        return new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    }
}
