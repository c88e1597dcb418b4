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
    /** The peer sent SIGNATURE_HASH_ALGORITHMS with SHA2-256: we sign with RFC 7427 (auth method 14). */
    boolean peerRfc7427;
    IdPayload peerId;
    String ikeProposal = "";
    Inet4Address virtualIp;
    boolean initialContact;
    InetSocketAddress lastSource;
    /** The last message received, as it came (without the non-ESP marker). */
    byte[] lastRaw;
    final List<ChildSa> children = new ArrayList<>();
    final List<IkeEvent> events;
    /** Message IDs, our request in flight, the cached answer to the peer's last request. */
    final MessageWindows windows;
    /** The IKE SA that replaces this one once a rekey exchange completed (the owner then swaps), or null. */
    SaContext successor;
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
        this.events = new ArrayList<>();
        this.windows = new MessageWindows(initiatorConfig != null ? initiatorConfig.fragmentTimeout().toNanos()
                : java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
    }

    /**
     * The IKE SA that a rekey (RFC 7296 2.18) makes of this one: new SPIs and keys, roles as in the rekey exchange
     * ({@code initiator}: we started it), fresh message IDs; addresses, identities and Child SAs carry over.
     */
    SaContext successor(boolean initiator, long newSpiI, long newSpiR, byte[] newNi, byte[] newNr, IkeSaKeys newKeys,
            String proposal) {
        SaContext next = new SaContext(initiator, random, local, remote, retransmission, fragmentSize, initiatorConfig,
                responderConfig, pool);
        next.owner = owner;
        next.natt = natt;
        next.udpEncapsulation = udpEncapsulation;
        next.fragmentation = fragmentation;
        next.peerRfc7427 = peerRfc7427;
        next.spiI = newSpiI;
        next.spiR = newSpiR;
        next.ni = newNi;
        next.nr = newNr;
        next.peerId = peerId;
        next.virtualIp = virtualIp;
        next.initialContact = initialContact;
        next.ikeProposal = proposal;
        next.install(newKeys);
        next.children.addAll(children);
        return next;
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

    /** Our identity (as IDi when we run the initiator's configuration, else IDr). */
    IdPayload localId() {
        return initiatorConfig != null ? Identities.parse(initiatorConfig.localId(), true)
                : Identities.parse(responderConfig.localId(), false);
    }

    /** Our IKE proposals in strongSwan's syntax. */
    String ikeProposals() {
        return initiatorConfig != null ? initiatorConfig.ikeProposals() : responderConfig.ikeProposals();
    }

    /** Our ESP proposals in strongSwan's syntax (DH groups included: CREATE_CHILD_SA may do PFS). */
    String espProposals() {
        return initiatorConfig != null ? initiatorConfig.espProposals() : responderConfig.espProposals();
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

    /** A 4-byte ESP SPI, big-endian. */
    static byte[] spiBytes(int spi) {
        return new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    }
}
