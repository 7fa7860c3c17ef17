package dev.tuntcp.socket;

/** Makes the handler for each connection a listener accepts (one service per port). */
@FunctionalInterface
public interface ConnectionHandlerFactory {
    ConnectionHandler newHandler();
}
