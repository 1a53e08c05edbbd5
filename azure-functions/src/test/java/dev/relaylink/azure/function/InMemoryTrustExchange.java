package dev.relaylink.azure.function;

import dev.relaylink.port.TrustExchange;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The AWS side's CA secrets as the function tests need them: no emulator, just the two lists (AwsTrustExchangeTest covers the real one). */
final class InMemoryTrustExchange implements TrustExchange {
    final List<X509Certificate> clientCas = new ArrayList<>();
    final List<X509Certificate> serverCas = new ArrayList<>();
    final List<X509Certificate> clientCasInGateway = new ArrayList<>();
    final List<X509Certificate> serverCasInWorkloads = new ArrayList<>();
    int publishes;

    InMemoryTrustExchange(List<X509Certificate> serverCas) {
        this.serverCas.addAll(serverCas);
    }

    @Override
    public synchronized List<X509Certificate> publishedClientCas() {
        return List.copyOf(clientCas);
    }

    @Override
    public synchronized boolean publishClientCas(List<X509Certificate> certificates) {
        if (certificates.equals(clientCas)) {
            return false;
        }
        publishes++;
        clientCas.clear();
        clientCas.addAll(certificates);
        return true;
    }

    String crl;

    @Override
    public synchronized java.util.Optional<String> publishedRevocationList() {
        return java.util.Optional.ofNullable(crl);
    }

    @Override
    public synchronized boolean publishRevocationList(String crlPem) {
        if (crlPem.equals(crl)) {
            return false;
        }
        crl = crlPem;
        return true;
    }

    @Override
    public synchronized List<X509Certificate> serverCas() {
        return List.copyOf(serverCas);
    }

    @Override
    public synchronized List<X509Certificate> clientCasInGateway() {
        return List.copyOf(clientCasInGateway);
    }

    @Override
    public synchronized List<X509Certificate> serverCasInWorkloads() {
        return List.copyOf(serverCasInWorkloads);
    }

    @Override
    public synchronized boolean acknowledgeServerCasInWorkloads(List<X509Certificate> certificates) {
        if (certificates.equals(serverCasInWorkloads)) {
            return false;
        }
        serverCasInWorkloads.clear();
        serverCasInWorkloads.addAll(certificates);
        return true;
    }
}
