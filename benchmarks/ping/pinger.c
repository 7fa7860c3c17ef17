/*
 * Load for the ping-reflector benchmark: ICMP echo requests of a fixed IP size (default 64 bytes)
 * from a raw socket, keeping WINDOW requests in flight, for SECONDS seconds (bounded: at most 2^31
 * requests and the duration). Prints requests sent, replies received and replies per second. A
 * window that makes no progress for 200 ms is refilled (the lost ones counted).
 *
 * usage: pinger ADDR SECONDS [WINDOW] [IP_BYTES]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t checksum(const uint8_t *p, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t) (p[i] << 8 | p[i + 1]);
    if (n & 1) sum += (uint32_t) p[n - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) ~sum;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ADDR SECONDS [WINDOW] [IP_BYTES]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in to = {.sin_family = AF_INET};
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
        fprintf(stderr, "bad address %s\n", argv[1]);
        return 2;
    }
    double seconds = atof(argv[2]);
    int window = argc > 3 ? atoi(argv[3]) : 64;
    int ip_bytes = argc > 4 ? atoi(argv[4]) : 64;
    if (seconds <= 0 || seconds > 120 || window < 1 || window > 4096 || ip_bytes < 28 || ip_bytes > 1500) {
        fprintf(stderr, "SECONDS in (0,120], WINDOW in 1..4096, IP_BYTES in 28..1500\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
    if (fd < 0) {
        perror("socket(SOCK_RAW, IPPROTO_ICMP)");
        return 1;
    }
    int big = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    uint16_t id = (uint16_t) getpid();
    size_t icmp_len = (size_t) ip_bytes - 20;
    uint8_t msg[1500];
    uint8_t in[2048];
    memset(msg, 0xa5, sizeof msg);
    unsigned long sent = 0, received = 0, lost = 0;
    long inflight = 0;
    uint16_t seq = 0;
    double start = now(), end = start + seconds, last_progress = start;
    while (now() < end && sent < 0x7fffffffUL) {
        while (inflight < window) {
            msg[0] = 8; msg[1] = 0; msg[2] = 0; msg[3] = 0;
            msg[4] = (uint8_t) (id >> 8); msg[5] = (uint8_t) id;
            msg[6] = (uint8_t) (seq >> 8); msg[7] = (uint8_t) seq;
            uint16_t c = checksum(msg, icmp_len);
            msg[2] = (uint8_t) (c >> 8); msg[3] = (uint8_t) c;
            if (sendto(fd, msg, icmp_len, 0, (struct sockaddr *) &to, sizeof to) < 0) {
                if (errno == EAGAIN || errno == ENOBUFS) break;
                perror("sendto");
                return 1;
            }
            seq++;
            sent++;
            inflight++;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        poll(&pfd, 1, 10);
        for (;;) {
            ssize_t n = recv(fd, in, sizeof in, 0);
            if (n < 0) break;
            size_t hlen = (size_t) (in[0] & 0x0f) * 4;
            if ((size_t) n >= hlen + 8 && in[hlen] == 0 && (in[hlen + 4] << 8 | in[hlen + 5]) == id) {
                received++;
                inflight--;
                last_progress = now();
            }
        }
        if (inflight >= window && now() - last_progress > 0.2) {
            lost += (unsigned long) inflight;
            inflight = 0;
            last_progress = now();
        }
    }
    double elapsed = now() - start;
    printf("sent %lu received %lu lost %lu seconds %.3f pps %.0f\n", sent, received, lost, elapsed,
           received / elapsed);
    return 0;
}
