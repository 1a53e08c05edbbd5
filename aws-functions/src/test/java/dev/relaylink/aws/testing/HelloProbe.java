package dev.relaylink.aws.testing;

/** The bare JVM the cold start is compared with: prints the wall clock as soon as main runs. */
public final class HelloProbe {
    private HelloProbe() {
    }

    public static void main(String[] args) {
        System.out.println("HANDLED " + System.currentTimeMillis());
        System.out.println("hello");
    }
}
