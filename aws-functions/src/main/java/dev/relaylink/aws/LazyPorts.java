package dev.relaylink.aws;

import dev.relaylink.aws.adapter.Lazy;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.CaStore;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.LoadBalancerPort;
import dev.relaylink.port.ServerCertificateStore;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.SecretState;
import dev.relaylink.state.Target;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ports whose adapter (and the SDK or Kubernetes client under it) is built on first use. The core
 * gets every port of the AWS side; a container builds only those its handler touches.
 */
final class LazyPorts {
    private LazyPorts() {
    }

    static LoadBalancerPort loadBalancer(Lazy<? extends LoadBalancerPort> port) {
        return new LoadBalancerPort() {
            @Override
            public List<ListenerState> listeners(String loadBalancerArn) {
                return port.get().listeners(loadBalancerArn);
            }

            @Override
            public void deleteListener(String listenerArn) {
                port.get().deleteListener(listenerArn);
            }

            @Override
            public void createListener(String loadBalancerArn, int listenerPort, String targetGroupArn) {
                port.get().createListener(loadBalancerArn, listenerPort, targetGroupArn);
            }

            @Override
            public Set<Target> registeredTargets(String targetGroupArn) {
                return port.get().registeredTargets(targetGroupArn);
            }

            @Override
            public void register(String targetGroupArn, Set<Target> targets) {
                port.get().register(targetGroupArn, targets);
            }

            @Override
            public void deregister(String targetGroupArn, Set<Target> targets) {
                port.get().deregister(targetGroupArn, targets);
            }

            @Override
            public Set<IngressRule> ingressRules(String securityGroupId) {
                return port.get().ingressRules(securityGroupId);
            }

            @Override
            public void authorize(String securityGroupId, Set<IngressRule> rules) {
                port.get().authorize(securityGroupId, rules);
            }

            @Override
            public void revoke(String securityGroupId, Set<IngressRule> rules) {
                port.get().revoke(securityGroupId, rules);
            }
        };
    }

    static CaStore caStore(Lazy<? extends CaStore> port) {
        return new CaStore() {
            @Override
            public List<X509Certificate> certificates() {
                return port.get().certificates();
            }

            @Override
            public Optional<CertificateAuthority> current() {
                return port.get().current();
            }

            @Override
            public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
                return port.get().create(commonName, now, lifetime);
            }
        };
    }

    static ServerCertificateStore serverCertificates(Lazy<? extends ServerCertificateStore> port) {
        return new ServerCertificateStore() {
            @Override
            public Optional<Credential> current() {
                return port.get().current();
            }

            @Override
            public Optional<Credential> pending(String token) {
                return port.get().pending(token);
            }

            @Override
            public void putPending(String token, Credential credential) {
                port.get().putPending(token, credential);
            }

            @Override
            public void promote(String token) {
                port.get().promote(token);
            }

            @Override
            public Optional<String> currentToken() {
                return port.get().currentToken();
            }
        };
    }

    static ClusterSecrets clusterSecrets(Lazy<? extends ClusterSecrets> port) {
        return new ClusterSecrets() {
            @Override
            public Optional<SecretState> observe(String namespace, String name) {
                return port.get().observe(namespace, name);
            }

            @Override
            public Optional<SecretState> observeAllowList(String namespace, String name) {
                return port.get().observeAllowList(namespace, name);
            }

            @Override
            public boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted) {
                return port.get().applyTls(namespace, name, credential, trusted);
            }

            @Override
            public boolean applyCaBundle(String namespace, String name, TrustBundle bundle) {
                return port.get().applyCaBundle(namespace, name, bundle);
            }

            @Override
            public boolean applyAllowList(String namespace, String name, List<String> spiffeIds) {
                return port.get().applyAllowList(namespace, name, spiffeIds);
            }
        };
    }
}
