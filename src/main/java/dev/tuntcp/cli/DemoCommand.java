package dev.tuntcp.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code tuntcp demo}: the self-contained tour. Until the TCP core lands it shows what the demo will
 * do.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Self-contained tour: handshake, transfer and teardown with the kernel in a private namespace.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("tuntcp demo — coming with the TCP core: a private network namespace, the stack on a TUN");
        System.out.println("device inside it, curl and nc as kernel clients, and the annotated ladder of the");
        System.out.println("three-way handshake, a transfer and the four-way teardown.");
        return 0;
    }
}
