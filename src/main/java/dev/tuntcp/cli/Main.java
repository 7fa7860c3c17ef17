package dev.tuntcp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code tuntcp}: dispatches to the subcommands of the command-line contract. */
@Command(name = "tuntcp",
        mixinStandardHelpOptions = true,
        version = "tuntcp 0.1.0",
        description = "A user-space TCP/IPv4 stack over a Linux TUN device.",
        subcommands = {DemoCommand.class, ServeCommand.class, ConnectCommand.class, StatsCommand.class, LabCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code, so tests can call it without exiting. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
