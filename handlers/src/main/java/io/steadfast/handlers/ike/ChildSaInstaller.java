package io.steadfast.handlers.ike;

import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.handlers.esp.EspDecryptHandler;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.esp.EspEncryptHandler;
import io.steadfast.handlers.esp.OutboundSa;
import io.steadfast.ike.sa.ChildSa;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Puts the Child SAs IKE negotiates into the ESP stages and takes them out again, for the {@code ike} and
 * {@code ike-responder} stages: the outbound SA into {@code esp-encrypt} under a name (one per peer), the
 * inbound one into {@code esp-decrypt} under that name and its SPI. A rekey is make-before-break: the new
 * inbound SA first, then the outbound one swapped; the old inbound SA stays until IKE deletes it.
 */
final class ChildSaInstaller {
    private final Supplier<EspEncryptHandler> encrypt;
    private final Supplier<EspDecryptHandler> decrypt;

    /**
     * @param stage the stage's name, for errors
     * @param own   the stage's own (UDP) pipeline, which holds esp-decrypt
     * @param tun   the TUN channel, whose pipeline holds esp-encrypt
     */
    ChildSaInstaller(String stage, Supplier<io.netty.channel.ChannelPipeline> own, Supplier<io.netty.channel.Channel> tun) {
        this.decrypt = () -> {
            EspDecryptHandler d = own.get().get(EspDecryptHandler.class);
            if (d == null) throw new IllegalStateException(stage + " needs esp-decrypt in its pipeline");
            return d;
        };
        this.encrypt = () -> {
            EspEncryptHandler e = tun.get().pipeline().get(EspEncryptHandler.class);
            if (e == null) throw new IllegalStateException(stage + " needs esp-encrypt in the TUN's pipeline");
            return e;
        };
    }

    /** A new Child SA: inbound into esp-decrypt, outbound into esp-encrypt as {@code name} (replacing one of that name). */
    void up(String name, ChildSa child, InetSocketAddress peer, int selectorAddress, int selectorLength, int careOf) {
        decrypt.get().add(new InboundSa(inboundName(name, child), child.inboundSpi(), new EspDecryptor(child.inbound())));
        OutboundSa out = new OutboundSa(name, new EspEncryptor(child.outbound()), peer, selectorAddress, selectorLength, careOf);
        EspEncryptHandler e = encrypt.get();
        if (e.has(name)) e.replace(name, out);
        else e.add(out);
    }

    /** A rekey: the replacement's inbound SA next to the old one, then its outbound SA in place of the old one. */
    void rekeyed(String name, ChildSa replacement, InetSocketAddress peer, int selectorAddress, int selectorLength, int careOf) {
        decrypt.get().add(new InboundSa(inboundName(name, replacement), replacement.inboundSpi(), new EspDecryptor(replacement.inbound())));
        encrypt.get().replace(name, new OutboundSa(name, new EspEncryptor(replacement.outbound()), peer, selectorAddress, selectorLength, careOf));
    }

    /** A Child SA deleted: its inbound SA goes; the outbound one too if {@code last}; its keys are zeroed. */
    void down(String name, ChildSa child, boolean last) {
        decrypt.get().remove(inboundName(name, child));
        if (last) encrypt.get().remove(name);
        child.inbound().close();
        child.outbound().close();
    }

    static String inboundName(String name, ChildSa child) {
        return name + ".in-" + String.format("%08x", child.inboundSpi());
    }
}
