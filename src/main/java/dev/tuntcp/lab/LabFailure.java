package dev.tuntcp.lab;

/** A scenario step that could not happen (e.g. an awaited segment never came); the message says which. */
public final class LabFailure extends Exception {
    public LabFailure(String message) {
        super(message);
    }
}
