package io.steadfast.pipeline.ike;

import io.steadfast.handlers.tun.Netns;
import java.nio.file.Path;
import java.util.List;

/**
 * A test PKI made by strongSwan's {@code pki} in a directory: a CA ("ca") issuing an ECDSA gateway certificate ("gw",
 * gw.example) and an RSA client certificate ("client", client.example), and a second CA ("rogue") with a client
 * certificate of its own ("stranger"). Each name has .key, .crt (and .pub) files, all PEM.
 */
final class PkiFiles {
    private PkiFiles() {}

    /** Makes the whole PKI in {@code dir}. */
    static void make(Path dir) throws Exception {
        pki(dir, "--gen --type rsa --size 2048 --outform pem > ca.key");
        pki(dir, "--self --ca --lifetime 30 --in ca.key --dn 'CN=Steadfast Interop CA' --outform pem > ca.crt");
        issue(dir, "gw", "ecdsa --size 256", "gw.example", "ca");
        issue(dir, "client", "rsa --size 2048", "client.example", "ca");
        pki(dir, "--gen --type ecdsa --size 256 --outform pem > rogue.key");
        pki(dir, "--self --ca --lifetime 30 --in rogue.key --dn 'CN=Rogue CA' --outform pem > rogue.crt");
        issue(dir, "stranger", "rsa --size 2048", "client.example", "rogue");
    }

    private static void pki(Path dir, String arguments) throws Exception {
        Netns.exec(List.of("sh", "-c", "cd " + dir + " && pki " + arguments), 60);
    }

    private static void issue(Path dir, String name, String keyType, String san, String ca) throws Exception {
        pki(dir, "--gen --type " + keyType + " --outform pem > " + name + ".key");
        pki(dir, "--pub --in " + name + ".key --outform pem > " + name + ".pub");
        pki(dir, "--issue --in " + name + ".pub --cacert " + ca + ".crt --cakey " + ca + ".key --lifetime 30 --dn 'CN=" + san
                + "' --san " + san + " --outform pem > " + name + ".crt");
    }
}
