package dev.relaylink.azure.function;

import dev.relaylink.audit.JsonLines;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.pki.Pem;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a function host's fresh JVM does for its first event: read the app settings, build the
 * link (clients, ports, use cases), run one function on one event. Started by
 * {@link FunctionAppBenchmark} with the packaged function app on its classpath; it prints
 * {@code handled <ms to build the link> <ms to handle the event>} when the function returned.
 *
 * <p>Arguments: function (PrivateEndpointApproval or ClientCertificateRotation), event file,
 * spec file, vault URL, ARM endpoint, the fake's TLS CA (PEM file), AKS API server URL.
 */
public final class FirstEventProbe {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String function = args[0];
        String event = Files.readString(Path.of(args[1]));
        String caPem = Files.readString(Path.of(args[5]));
        Azurite azurite = Azurite.fromEnvironment(); // inherited from the benchmark's environment
        AzureSettings settings = AzureSettings.from(Map.of(AzureSettings.SPEC_FILE, args[2], AzureSettings.VAULT_URL, args[3],
                AzureSettings.AKS_SERVER, args[6], AzureSettings.AKS_CA, caPem,
                AzureSettings.AWS_ROLE_ARN, "arn:aws:iam::111122223333:role/relay-link-demo-azure-trust-exchange",
                AzureSettings.TABLE_SERVICE_URI, azurite.tableServiceUri(),
                AzureSettings.STATE_TABLE, Azurite.uniqueTable(AzureSettings.DEFAULT_STATE_TABLE))::get);
        // As AzureFunctions.inAzure() wires it in Azure, with the fake's and Azurite's endpoints and trust instead of Azure's.
        AzureClients clients = AzureClients.forEndpoint(new FixedTokenCredential(), trusting(caPem, azurite), URI.create(args[4]));
        KubernetesClient aks = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(settings.aksServer()).build())
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        AzureFunctions link = AzureFunctions.create(settings, clients, aks, JsonLines.stdout(), Clock.systemUTC());
        long built = System.nanoTime();

        TestContext context = new TestContext(function);
        switch (function) {
            case PrivateEndpointApprovalFunction.NAME -> new PrivateEndpointApprovalFunction(() -> link).run(event, context);
            case ClientCertificateRotationFunction.NAME -> new ClientCertificateRotationFunction(() -> link).run(event, context);
            default -> throw new IllegalArgumentException("no function " + function);
        }
        long handled = System.nanoTime();
        if (!context.warnings().isEmpty()) {
            throw new IllegalStateException("the event was refused: " + context.warnings());
        }
        System.out.printf("handled %d %d%n", (built - start) / 1_000_000, (handled - built) / 1_000_000);
        System.out.flush();
        aks.close();
        System.exit(0);
    }

    private static SSLContext trusting(String caPem, Azurite azurite) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificate(caPem));
        trust.setCertificateEntry("azurite", azurite.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
