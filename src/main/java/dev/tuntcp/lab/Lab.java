package dev.tuntcp.lab;

import java.nio.file.Path;

/** Runs one scenario in a fresh {@link LabSession} and returns what it produced. */
public final class Lab {
    private Lab() {
    }

    /**
     * Runs {@code scenario}; the namespace is gone when this returns, whatever happened.
     *
     * @param pcap where to record the packets, or null
     * @throws dev.tuntcp.link.LinkSetupException when the namespace or TUN device cannot be set up
     */
    public static LabResult run(Scenario scenario, Path pcap) throws Exception {
        try (LabSession lab = LabSession.open(pcap)) {
            String error = null;
            try {
                scenario.run(lab);
            } catch (LabFailure e) {
                error = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            return lab.result(scenario.name(), error);
        }
    }
}
