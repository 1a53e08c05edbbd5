package dev.relaylink.azure.function;

/** The app settings of the function app (placeholder until the adapters are wired). */
final class AzureSettings {
    static AzureSettings fromEnvironment() {
        return new AzureSettings();
    }

    AzureLink link() {
        throw new IllegalStateException("not wired yet");
    }
}
