package io.steadfast.ike.proposal;

import io.steadfast.ike.Ike;
import io.steadfast.ike.crypto.DhGroup;
import io.steadfast.ike.crypto.EncryptionAlgorithm;
import io.steadfast.ike.crypto.IntegrityAlgorithm;
import io.steadfast.ike.crypto.PrfAlgorithm;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.Transform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Proposals in strongSwan's syntax ({@code ike = } and {@code esp_proposals = } of swanctl.conf), each
 * way. A proposal is algorithm keywords joined by '-', proposals are separated by ','. As in strongSwan,
 * an IKE proposal with integrity algorithms but no PRF gets the matching PRFs, an ESP proposal without
 * esn/noesn gets noesn, and AEAD and non-AEAD ciphers do not mix in one proposal. IKE proposals need a
 * DH group; ESP ciphers must be AEAD ones the esp module implements.
 *
 * <pre>{@code
 * List<Proposal> ike = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519,aes256-sha256-modp2048");
 * List<Proposal> esp = ProposalSyntax.parseEsp("aes128gcm16", spi);
 * log.info("peer offered {}, we offered {}", ProposalSyntax.render(theirs), ProposalSyntax.render(ours));
 * }</pre>
 */
public final class ProposalSyntax {
    private ProposalSyntax() {}

    private static final int[] RENDER_ORDER = {Ike.TRANSFORM_ENCR, Ike.TRANSFORM_INTEG, Ike.TRANSFORM_PRF,
            Ike.TRANSFORM_DH, Ike.TRANSFORM_ESN};

    /** IKE proposals numbered from 1, with empty SPIs (IKE_SA_INIT). */
    public static List<Proposal> parseIke(String text) {
        return parseList(text, true, new byte[0]);
    }

    /** ESP proposals numbered from 1, each with our inbound SPI. */
    public static List<Proposal> parseEsp(String text, byte[] spi) {
        return parseList(text, false, spi);
    }

    /** One IKE proposal with the given number. */
    public static Proposal parseIke(String text, int number) {
        return parse(text, true, number, new byte[0]);
    }

    /** One ESP proposal with the given number and SPI. */
    public static Proposal parseEsp(String text, int number, byte[] spi) {
        return parse(text, false, number, spi);
    }

    /** A proposal in strongSwan's syntax, e.g. {@code aes128gcm16-prfsha256-x25519}; see the class doc. */
    public static String render(Proposal proposal) {
        List<String> words = new ArrayList<>();
        List<Transform> integs = proposal.transforms(Ike.TRANSFORM_INTEG);
        List<PrfAlgorithm> implied = integs.stream().map(t -> IntegrityAlgorithm.byId(t.id()))
                .map(i -> i == null ? null : i.matchingPrf()).toList();
        List<PrfAlgorithm> prfs = proposal.transforms(Ike.TRANSFORM_PRF).stream().map(t -> PrfAlgorithm.byId(t.id())).toList();
        boolean prfImplied = !integs.isEmpty() && !implied.contains(null) && implied.equals(prfs);
        List<Transform> esns = proposal.transforms(Ike.TRANSFORM_ESN);
        boolean defaultEsn = esns.size() == 1 && esns.get(0).id() == Ike.ESN_NO && !esns.get(0).unknownAttributes();
        for (int type : RENDER_ORDER) {
            if ((type == Ike.TRANSFORM_PRF && prfImplied) || (type == Ike.TRANSFORM_ESN && defaultEsn)) {
                continue;
            }
            proposal.transforms(type).forEach(t -> words.add(Keywords.of(t)));
        }
        proposal.transforms().stream().filter(t -> t.type() > Ike.TRANSFORM_ESN || t.type() < Ike.TRANSFORM_ENCR)
                .forEach(t -> words.add(Keywords.of(t)));
        return String.join("-", words);
    }

    /** Proposals joined by ',' as in a configuration line. */
    public static String render(List<Proposal> proposals) {
        return proposals.stream().map(ProposalSyntax::render).collect(Collectors.joining(","));
    }

    private static List<Proposal> parseList(String text, boolean ike, byte[] spi) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty " + (ike ? "IKE" : "ESP") + " proposal list");
        }
        List<Proposal> proposals = new ArrayList<>();
        for (String one : text.split(",", -1)) {
            proposals.add(parse(one, ike, proposals.size() + 1, spi));
        }
        return List.copyOf(proposals);
    }

    private static Proposal parse(String text, boolean ike, int number, byte[] spi) {
        String kind = ike ? "IKE" : "ESP";
        String proposal = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (proposal.isEmpty()) {
            throw new IllegalArgumentException("empty " + kind + " proposal");
        }
        Set<EncryptionAlgorithm> encrs = new LinkedHashSet<>();
        Set<IntegrityAlgorithm> integs = new LinkedHashSet<>();
        Set<PrfAlgorithm> prfs = new LinkedHashSet<>();
        Set<DhGroup> groups = new LinkedHashSet<>();
        Set<Integer> esns = new LinkedHashSet<>();
        for (String word : proposal.split("-", -1)) {
            if (Keywords.ENCRYPTION.containsKey(word)) {
                EncryptionAlgorithm encr = Keywords.ENCRYPTION.get(word);
                if (!ike && encr.espAlgorithm() == null) {
                    throw error(kind, text, "'" + word + "' is not an ESP transform the esp module implements (AEAD only)", ike);
                }
                encrs.add(encr);
            } else if (Keywords.INTEGRITY.containsKey(word) && ike) {
                integs.add(Keywords.INTEGRITY.get(word));
            } else if (Keywords.PRF.containsKey(word) && ike) {
                prfs.add(Keywords.PRF.get(word));
            } else if (Keywords.DH.containsKey(word)) {
                groups.add(Keywords.DH.get(word));
            } else if (Keywords.ESN.containsKey(word) && !ike) {
                esns.add(Keywords.ESN.get(word));
            } else if (Keywords.INTEGRITY.containsKey(word)) {
                throw error(kind, text, "'" + word + "': the esp module implements only AEAD ciphers, which take no"
                        + " integrity algorithm", ike);
            } else {
                throw error(kind, text, "unknown algorithm '" + word + "'", ike);
            }
        }
        if (encrs.isEmpty()) {
            throw error(kind, text, "no encryption algorithm", ike);
        }
        boolean aead = encrs.iterator().next().isAead();
        if (encrs.stream().anyMatch(e -> e.isAead() != aead)) {
            throw error(kind, text, "AEAD and non-AEAD ciphers cannot share a proposal", ike);
        }
        List<Transform> transforms = new ArrayList<>();
        encrs.forEach(e -> transforms.add(e.transform()));
        if (ike) {
            if (!aead && integs.isEmpty()) {
                throw error(kind, text, "a non-AEAD cipher needs an integrity algorithm", ike);
            }
            if (prfs.isEmpty()) {
                integs.forEach(i -> prfs.add(i.matchingPrf()));
            }
            if (prfs.isEmpty()) {
                throw error(kind, text, "no PRF (an AEAD proposal names one, e.g. prfsha256)", ike);
            }
            if (groups.isEmpty()) {
                throw error(kind, text, "no DH group", ike);
            }
            if (!aead) {
                integs.forEach(i -> transforms.add(i.transform()));
            }
            prfs.forEach(p -> transforms.add(p.transform()));
        }
        groups.forEach(g -> transforms.add(g.transform()));
        if (!ike) {
            if (esns.isEmpty()) {
                esns.add(Ike.ESN_NO);
            }
            esns.forEach(e -> transforms.add(Transform.of(Ike.TRANSFORM_ESN, e)));
        }
        return new Proposal(number, ike ? Ike.PROTOCOL_IKE : Ike.PROTOCOL_ESP, spi, transforms);
    }

    private static IllegalArgumentException error(String kind, String text, String problem, boolean ike) {
        return new IllegalArgumentException(kind + " proposal '" + text + "': " + problem + "; supported: "
                + Keywords.supported(ike));
    }
}
