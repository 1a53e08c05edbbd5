package dev.relaylink.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM for certificates, bundles (a list of certificates), revocation lists and PKCS#8 private keys. */
public final class Pem {
    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CRL = "X509 CRL";
    private static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {
    }

    public static String write(X509Certificate certificate) {
        return write(List.of(certificate));
    }

    public static String write(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(new PemObject(CERTIFICATE, certificate.getEncoded()));
            }
        } catch (IOException | CertificateException e) {
            throw new PkiException("cannot encode certificate as PEM", e);
        }
        return out.toString();
    }

    /** A revocation list ("BEGIN X509 CRL"): public, like the certificates it lists. */
    public static String write(X509CRL crl) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(CRL, crl.getEncoded()));
        } catch (IOException | java.security.cert.CRLException e) {
            throw new PkiException("cannot encode the revocation list as PEM", e);
        }
        return out.toString();
    }

    /** The one revocation list in {@code pem}. */
    public static X509CRL readRevocationList(String pem) {
        List<PemObject> blocks = blocks(pem);
        if (blocks.size() != 1 || !blocks.get(0).getType().equals(CRL)) {
            throw new PkiException("expected one X509 CRL block, found " + blocks.stream().map(PemObject::getType).toList());
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(blocks.get(0).getContent()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("X509 CRL block does not parse", e);
        }
    }

    /**
     * Only the blocks of {@code type} ("CERTIFICATE", "X509 CRL") of a PEM text that holds several
     * kinds, re-encoded in order; empty text when there are none. A published trust bundle carries
     * the CA certificates and the CA's revocation list in one value, so both change together.
     */
    public static String blocksOf(String pem, String type) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            for (PemObject block : blocks(pem)) {
                if (block.getType().equals(type)) {
                    writer.writeObject(block);
                }
            }
        } catch (IOException e) {
            throw new PkiException("cannot encode PEM", e);
        }
        return out.toString();
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"). Callers write the result to secrets only, never to logs. */
    public static String write(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(PRIVATE_KEY, key.getEncoded()));
        } catch (IOException e) {
            throw new PkiException("cannot encode private key as PEM", e);
        }
        return out.toString();
    }

    /** Every certificate in {@code pem}, in order; at least one, and nothing but certificates. */
    public static List<X509Certificate> readCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<PemObject> blocks = blocks(pem);
            for (int i = 0; i < blocks.size(); i++) {
                PemObject block = blocks.get(i);
                if (!CERTIFICATE.equals(block.getType())) {
                    throw new PkiException("PEM block " + (i + 1) + ": expected CERTIFICATE, got " + block.getType());
                }
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
                } catch (CertificateException e) {
                    throw new PkiException("PEM block " + (i + 1) + ": not a valid X.509 certificate (" + e.getMessage() + ")", e);
                }
            }
        } catch (CertificateException e) {
            throw new PkiException("X.509 is not available", e);
        }
        return certificates;
    }

    public static X509Certificate readCertificate(String pem) {
        List<X509Certificate> certificates = readCertificates(pem);
        if (certificates.size() != 1) {
            throw new PkiException("expected one certificate, found " + certificates.size());
        }
        return certificates.get(0);
    }

    /** A PKCS#8 EC private key; the error never echoes the key's bytes. */
    public static PrivateKey readPrivateKey(String pem) {
        List<PemObject> blocks = blocks(pem);
        if (blocks.size() != 1 || !PRIVATE_KEY.equals(blocks.get(0).getType())) {
            throw new PkiException("expected one PKCS#8 block (BEGIN PRIVATE KEY), found "
                    + blocks.stream().map(PemObject::getType).toList());
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).getContent()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("PRIVATE KEY block is not a PKCS#8 EC key", e);
        }
    }

    private static List<PemObject> blocks(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new PkiException("malformed PEM: the input is empty");
        }
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiException("malformed PEM: " + e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            throw new PkiException("malformed PEM: no '-----BEGIN ...-----' block found");
        }
        return blocks;
    }
}
