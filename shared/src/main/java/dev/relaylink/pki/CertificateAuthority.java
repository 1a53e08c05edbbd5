package dev.relaylink.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * One CA: its certificate and the {@link Signer} holding its key. Issues the server leaf (serverAuth,
 * DNS SAN) and client leaves (clientAuth, SPIFFE URI SAN), all ECDSA P-256 with SHA-256.
 */
public final class CertificateAuthority {
    /** Leaves start a little in the past so a peer whose clock runs behind still accepts them. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Signer signer;
    private final X509Certificate certificate;

    public CertificateAuthority(Signer signer, X509Certificate certificate) {
        requireCa(certificate);
        if (!Arrays.equals(signer.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new PkiException("CA certificate " + certificate.getSubjectX500Principal().getName()
                    + " does not match the signer's public key");
        }
        this.signer = signer;
        this.certificate = certificate;
    }

    /** Creates a self-signed CA (pathLen 0: it signs leaves only) for the signer's key. */
    public static CertificateAuthority selfSigned(Signer signer, String commonName, Instant now, Duration lifetime) {
        Keys.requireP256(signer.publicKey(), "CA key");
        X500Name name = name(commonName);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, signer.publicKey(), now.minus(CLOCK_SKEW), now.plus(lifetime))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(signer.publicKey()));
            return new CertificateAuthority(signer, sign(builder, signer));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new PkiException("cannot build CA certificate " + commonName, e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public X509Certificate issueServer(PublicKey subjectKey, String dnsName, Instant now, Duration lifetime) {
        return issueLeaf(subjectKey, dnsName, new GeneralName(GeneralName.dNSName, dnsName), KeyPurposeId.id_kp_serverAuth, now, lifetime);
    }

    public X509Certificate issueClient(PublicKey subjectKey, SpiffeId id, Instant now, Duration lifetime) {
        return issueLeaf(subjectKey, id.serviceAccount() + "." + id.namespace(),
                new GeneralName(GeneralName.uniformResourceIdentifier, id.toString()), KeyPurposeId.id_kp_clientAuth, now, lifetime);
    }

    private X509Certificate issueLeaf(PublicKey subjectKey, String commonName, GeneralName san, KeyPurposeId purpose,
                                      Instant now, Duration lifetime) {
        Keys.requireP256(subjectKey, "leaf key for " + commonName);
        // A leaf never outlives its CA: the overlap rule can then retire the CA when its last leaf expires.
        Instant notAfter = min(now.plus(lifetime), certificate.getNotAfter().toInstant());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), name(commonName),
                    subjectKey, now.minus(CLOCK_SKEW), notAfter)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            return sign(builder, signer);
        } catch (IOException | java.security.NoSuchAlgorithmException | CertificateException e) {
            throw new PkiException("cannot build certificate " + commonName, e);
        }
    }

    /**
     * A revocation list of this CA, signed through its {@link Signer} (so in KMS or Key Vault),
     * listing {@code revoked} (leaves of this CA) as superseded, valid from {@code now} for
     * {@code validity}. The CRL number is the signing time in seconds, so a newer list has a higher one.
     */
    public X509CRL revocationList(List<X509Certificate> revoked, Instant now, Duration validity) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    Date.from(now.minus(CLOCK_SKEW)));
            builder.setNextUpdate(Date.from(now.plus(validity)));
            for (X509Certificate leaf : revoked) {
                if (!leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
                    throw new PkiException("certificate serial " + leaf.getSerialNumber().toString(16) + " was not issued by "
                            + certificate.getSubjectX500Principal().getName());
                }
                builder.addCRLEntry(leaf.getSerialNumber(), Date.from(now.minus(CLOCK_SKEW)), CRLReason.superseded);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
            return new JcaX509CRLConverter().getCRL(builder.build(new SignerContentSigner(signer)));
        } catch (IOException | java.security.NoSuchAlgorithmException | CertificateException | java.security.cert.CRLException e) {
            throw new PkiException("cannot build the revocation list of " + certificate.getSubjectX500Principal().getName(), e);
        }
    }

    /** Throws unless {@code certificate} may sign certificates: basicConstraints CA and keyCertSign. */
    public static void requireCa(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException("certificate " + subject + " is not a CA (basicConstraints CA is false) and cannot issue certificates");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null || !usage[5]) {
            throw new PkiException("CA certificate " + subject + " lacks the keyCertSign key usage");
        }
        Keys.requireP256(certificate.getPublicKey(), "CA certificate " + subject);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        return new JcaX509v3CertificateBuilder(issuer, randomSerial(), Date.from(notBefore), Date.from(notAfter), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, Signer signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new SignerContentSigner(signer)));
        } catch (CertificateException e) {
            throw new PkiException("the signed certificate does not parse", e);
        }
    }

    /** A positive random 128-bit serial (RFC 5280 asks for at most 20 octets, CA/B for 64+ random bits). */
    private static BigInteger randomSerial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new BigInteger(1, bytes);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "relay-link").addRDN(BCStyle.CN, commonName).build();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
