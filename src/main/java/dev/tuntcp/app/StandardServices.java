package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.stack.Counters;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The services {@code serve} offers on its address (DESIGN §4): HTTP on 80, echo on 7 (RFC 862),
 * discard on 9 (RFC 863), chargen on 19 (RFC 864), iperf3 on 5201 ({@link IperfService}).
 */
public final class StandardServices {
    private StandardServices() {
    }

    /** Port → service, in the order they are listed to the user. */
    public static Map<Integer, ConnectionHandlerFactory> all(Counters counters) {
        return all(counters, new IperfService(counters));
    }

    /**
     * The services of one of several loops of a multi-queue host ({@code serve --queues N}): each
     * loop has its own (counting into that loop's {@code counters}); the iperf3 services of all loops
     * share {@code iperfTests}, since a test's connections may land on different loops.
     */
    public static Map<Integer, ConnectionHandlerFactory> forLoop(Counters counters, SocketStack loop,
                                                                 IperfTests iperfTests) {
        return all(counters, new IperfService(counters, dev.tuntcp.stack.Clock.system(), loop, iperfTests));
    }

    private static Map<Integer, ConnectionHandlerFactory> all(Counters counters, IperfService iperf) {
        Map<Integer, ConnectionHandlerFactory> services = new LinkedHashMap<>();
        services.put(HttpService.PORT, new HttpService(counters));
        services.put(EchoService.PORT, new EchoService(counters));
        services.put(DiscardService.PORT, new DiscardService(counters));
        services.put(ChargenService.PORT, new ChargenService(counters));
        services.put(IperfService.PORT, iperf);
        return services;
    }

    /** Listens with the services of one loop of several ({@link #forLoop}); call on that loop. */
    public static void install(SocketStack stack, Counters counters, IperfTests iperfTests) throws BindException {
        for (Map.Entry<Integer, ConnectionHandlerFactory> e : forLoop(counters, stack, iperfTests).entrySet()) {
            stack.listen(e.getKey(), e.getValue());
        }
    }

    /** Listens with every service on {@code stack}; call on the stack's event loop. */
    public static void install(SocketStack stack, Counters counters) throws BindException {
        for (Map.Entry<Integer, ConnectionHandlerFactory> e : all(counters).entrySet()) {
            stack.listen(e.getKey(), e.getValue());
        }
    }
}
