package dev.relaylink.azure.function;

import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.azure.adapter.AwsTrustExchange;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The function app's settings (docs/azure.md lists them), parsed and checked; {@link AzureFunctions}
 * wires the Azure half from them. Every setting is checked when the host first needs the link,
 * with one message naming what is missing, so a misconfigured app fails loudly on its first event
 * instead of half-working.
 *
 * @param vaultUrl the vault holding the client CA key, the workloads' certificates and the server CA bundle
 * @param serverCaSecret the Key Vault secret with the server CA certificates (PEM, current first) published from AWS
 * @param aksServer the AKS API server URL
 * @param aksCaPem the AKS cluster CA certificate, PEM
 * @param aws the trust exchange with the AWS side: its region, role and CA certificate secrets
 * @param tableServiceUri the Table service of the storage account holding the event claims and the link lock
 * @param stateTable the table in it
 */
public record AzureSettings(LinkSpec spec, String vaultUrl, String serverCaSecret, String aksServer, String aksCaPem,
                            AwsTrustExchange.Settings aws, String tableServiceUri, String stateTable) {
    public static final String SPEC = "RELAY_LINK_SPEC";
    public static final String SPEC_FILE = "RELAY_LINK_SPEC_FILE";
    public static final String VAULT_URL = "RELAY_LINK_VAULT_URL";
    public static final String SERVER_CA_SECRET = "RELAY_LINK_SERVER_CA_SECRET";
    public static final String AKS_SERVER = "RELAY_LINK_AKS_SERVER";
    public static final String AKS_CA = "RELAY_LINK_AKS_CA";
    public static final String AWS_ROLE_ARN = "RELAY_LINK_AWS_ROLE_ARN";
    public static final String AWS_REGION = "RELAY_LINK_AWS_REGION";
    public static final String AWS_CLIENT_CA_SECRET = "RELAY_LINK_AWS_CLIENT_CA_SECRET";
    public static final String AWS_SERVER_CA_SECRET = "RELAY_LINK_AWS_SERVER_CA_SECRET";
    public static final String TABLE_SERVICE_URI = "RELAY_LINK_TABLE_SERVICE_URI";
    public static final String STATE_TABLE = "RELAY_LINK_STATE_TABLE";
    public static final String DEFAULT_STATE_TABLE = "relaylinkstate";
    /** The Functions host's own identity-based storage connection, used when {@link #TABLE_SERVICE_URI} is not set. */
    public static final String HOST_STORAGE_TABLE_URI = "AzureWebJobsStorage__tableServiceUri";
    public static final String HOST_STORAGE_ACCOUNT = "AzureWebJobsStorage__accountName";
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{2,62}");
    private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    /** The AWS SDK's own setting; set only to reach an AWS emulator. */
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");
    public static final String DEFAULT_SERVER_CA_SECRET = "relay-link-server-ca-certificates";
    /** The Entra ID application of the AKS API server: a token for this scope authenticates to any AAD-enabled AKS cluster. */
    public static final String AKS_SCOPE = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";
    /** host.json's functionTimeout (a test keeps them equal): an event's claim expires after it, so a retry re-runs a dead run's event. */
    public static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(5);
    /** Claims last a run's life; handled event ids are remembered longer than Event Grid retries a delivery (24 hours). */
    public static final ClaimPolicy CLAIMS = new ClaimPolicy(FUNCTION_TIMEOUT, Duration.ofDays(2));

    public static AzureSettings fromEnvironment() {
        return from(System::getenv);
    }

    /** Reads the settings from {@code setting} (the environment in Azure; a map in tests). */
    public static AzureSettings from(Function<String, String> setting) {
        Function<String, Optional<String>> optional = name -> Optional.ofNullable(setting.apply(name)).map(String::strip).filter(s -> !s.isEmpty());
        LinkSpec spec = optional.apply(SPEC).map(LinkSpecReader::read)
                .or(() -> optional.apply(SPEC_FILE).map(file -> LinkSpecReader.read(Path.of(file))))
                .orElseThrow(() -> new ConfigurationFailure("app setting " + SPEC + " (the link spec YAML) or " + SPEC_FILE + " is required"));
        String vaultUrl = optional.apply(VAULT_URL).orElse(AzureClients.vaultUrl(spec.azure().keyVault().name()));
        String aksServer = optional.apply(AKS_SERVER)
                .orElseThrow(() -> new ConfigurationFailure("app setting " + AKS_SERVER + " (the AKS API server URL) is required"));
        String aksCa = optional.apply(AKS_CA).map(AzureSettings::pem)
                .orElseThrow(() -> new ConfigurationFailure("app setting " + AKS_CA + " (the AKS cluster CA, PEM or base64 PEM) is required"));
        String roleArn = optional.apply(AWS_ROLE_ARN).orElseThrow(() -> new ConfigurationFailure("app setting " + AWS_ROLE_ARN
                + " (the AWS role the trust exchange assumes: the AWS stack's output AzureTrustExchangeRoleArn) is required"));
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new ConfigurationFailure("app setting " + AWS_ROLE_ARN + " is not an IAM role ARN: " + roleArn);
        }
        URI endpoint = optional.apply(AWS_ENDPOINT_URL).map(AzureSettings::endpoint).orElse(null);
        // The AWS stack names the CA secrets after the server certificate's secret.
        dev.relaylink.spec.CaSecretNames awsSecrets = dev.relaylink.spec.CaSecretNames.of(spec);
        AwsTrustExchange.Settings aws = new AwsTrustExchange.Settings(
                Region.of(optional.apply(AWS_REGION).orElse(spec.aws().region())), Optional.ofNullable(endpoint), roleArn,
                optional.apply(AWS_CLIENT_CA_SECRET).orElse(awsSecrets.clientCas()),
                optional.apply(AWS_SERVER_CA_SECRET).orElse(awsSecrets.serverCas()));
        String tableServiceUri = optional.apply(TABLE_SERVICE_URI).or(() -> optional.apply(HOST_STORAGE_TABLE_URI))
                .or(() -> optional.apply(HOST_STORAGE_ACCOUNT).map(AzureSettings::tableServiceOf))
                .orElseThrow(() -> new ConfigurationFailure("app setting " + TABLE_SERVICE_URI + " (the Table service holding the event claims"
                        + " and the link lock, https://<account>.table.core.windows.net) is required, unless the host's identity-based "
                        + HOST_STORAGE_ACCOUNT + " names the account"));
        if (!tableServiceUri.startsWith("https://")) {
            throw new ConfigurationFailure("app setting " + TABLE_SERVICE_URI + " must be an https URL (identity-based access needs TLS): "
                    + tableServiceUri);
        }
        String stateTable = optional.apply(STATE_TABLE).orElse(DEFAULT_STATE_TABLE);
        if (!TABLE_NAME.matcher(stateTable).matches()) {
            throw new ConfigurationFailure("app setting " + STATE_TABLE + " is not a table name (3 to 63 letters and digits, a letter first): "
                    + stateTable);
        }
        return new AzureSettings(spec, vaultUrl, optional.apply(SERVER_CA_SECRET).orElse(DEFAULT_SERVER_CA_SECRET), aksServer, aksCa, aws,
                tableServiceUri, stateTable);
    }

    private static String tableServiceOf(String account) {
        if (!STORAGE_ACCOUNT.matcher(account).matches()) {
            throw new ConfigurationFailure("app setting " + HOST_STORAGE_ACCOUNT + " is not a storage account name: " + account);
        }
        return "https://" + account + ".table.core.windows.net";
    }

    private static URI endpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationFailure("app setting " + AWS_ENDPOINT_URL + " is not a URL: " + value);
        }
    }

    /** Accepts the CA as PEM or, as {@code az aks show} and kubeconfig give it, base64-encoded PEM. */
    private static String pem(String value) {
        String pem = value;
        if (!value.contains("-----BEGIN")) {
            try {
                pem = new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                pem = "";
            }
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigurationFailure("app setting " + AKS_CA + " is neither a PEM certificate nor one base64-encoded");
        }
        return pem;
    }
}
