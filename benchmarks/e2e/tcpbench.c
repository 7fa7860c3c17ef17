/*
 * The kernel-side clients and the kernel reference server of benchmarks/e2e.sh, in C so that what is
 * timed is the TCP path under test, not an interpreter (a Python round trip costs several µs of its
 * own on each side). Every mode is bounded: alarm() ends it after its time budget with exit 3.
 *
 *   tcpbench server ADDR PORT SECONDS      echo server (RFC 862) on ADDR:PORT for many connections at
 *                                          once (poll), prints "ready"; exits after SECONDS
 *   tcpbench rtt HOST PORT COUNT SIZE      one connection, TCP_NODELAY; COUNT/10 warm-up round trips,
 *                                          then COUNT timed ones of SIZE bytes: prints
 *                                          "rtt_us p50 X p99 Y count N"
 *   tcpbench conns HOST PORT COUNT         COUNT times: connect, send 32 bytes, read the 32 echoed
 *                                          back, close; prints "conns N seconds S per_second R"
 *   tcpbench hold HOST PORT COUNT SECONDS  opens COUNT connections and keeps them idle; prints
 *                                          "open N" and holds them until killed (SIGTERM) or SECONDS pass
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 8192

static void die(const char *what) {
    fprintf(stderr, "tcpbench: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void out_of_time(int sig) {
    (void)sig;
    static const char msg[] = "tcpbench: out of time\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(3);
}

static void budget(unsigned seconds) {
    signal(SIGALRM, out_of_time);
    alarm(seconds);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static struct sockaddr_in address(const char *host, const char *port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port))};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "tcpbench: bad address %s\n", host);
        exit(2);
    }
    return a;
}

static int dial(const struct sockaddr_in *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (const struct sockaddr *)a, sizeof *a) < 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) die("write");
        p += w;
        n -= (size_t)w;
    }
}

static void read_exactly(int fd, char *p, size_t n) {
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0) die("read");
        if (r == 0) {
            fprintf(stderr, "tcpbench: connection closed early\n");
            exit(1);
        }
        p += r;
        n -= (size_t)r;
    }
}

static void more_files(void) {
    struct rlimit l = {MAX_CONNS + 64, MAX_CONNS + 64};
    if (setrlimit(RLIMIT_NOFILE, &l) < 0) die("setrlimit");
}

static _Noreturn void server(const char *host, const char *port, unsigned seconds) {
    budget(seconds);
    more_files();
    struct sockaddr_in a = address(host, port);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(lfd, 1024) < 0) die("listen");
    static struct pollfd fds[MAX_CONNS + 1];
    static char buf[65536];
    int n = 1;
    fds[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        if (poll(fds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        for (int i = n - 1; i >= 1; i--) {
            if (!fds[i].revents) continue;
            ssize_t r = read(fds[i].fd, buf, sizeof buf);
            if (r > 0) {
                ssize_t off = 0;
                while (off < r) {
                    ssize_t w = write(fds[i].fd, buf + off, (size_t)(r - off));
                    if (w <= 0) break;
                    off += w;
                }
                if (off == r) continue;
            }
            close(fds[i].fd); /* end of input, an error or a peer that stopped reading */
            fds[i] = fds[--n];
        }
        if (fds[0].revents & POLLIN) {
            int c = accept(lfd, NULL, NULL);
            if (c < 0) continue;
            if (n > MAX_CONNS) {
                close(c);
                continue;
            }
            setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            fds[n++] = (struct pollfd){.fd = c, .events = POLLIN};
        }
    }
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int rtt(const char *host, const char *port, int count, int size) {
    budget(120);
    if (count < 1 || size < 1 || size > 65536) {
        fprintf(stderr, "tcpbench: rtt needs COUNT >= 1 and 1 <= SIZE <= 65536\n");
        return 2;
    }
    struct sockaddr_in a = address(host, port);
    int fd = dial(&a);
    char *msg = malloc((size_t)size), *back = malloc((size_t)size);
    double *us = malloc(sizeof(double) * (size_t)count);
    for (int i = 0; i < size; i++) msg[i] = (char)('a' + i % 26);
    for (int i = -count / 10; i < count; i++) {
        double t0 = now();
        write_all(fd, msg, (size_t)size);
        read_exactly(fd, back, (size_t)size);
        double t1 = now();
        if (memcmp(msg, back, (size_t)size) != 0) {
            fprintf(stderr, "tcpbench: the echo differs from what was sent\n");
            return 1;
        }
        if (i >= 0) us[i] = (t1 - t0) * 1e6;
    }
    close(fd);
    qsort(us, (size_t)count, sizeof(double), by_value);
    printf("rtt_us p50 %.1f p99 %.1f count %d\n", us[count / 2], us[(int)(count * 0.99)], count);
    return 0;
}

static int conns(const char *host, const char *port, int count) {
    budget(120);
    struct sockaddr_in a = address(host, port);
    char msg[32], back[32];
    memset(msg, 'c', sizeof msg);
    double t0 = now();
    for (int i = 0; i < count; i++) {
        int fd = dial(&a);
        write_all(fd, msg, sizeof msg);
        read_exactly(fd, back, sizeof back);
        close(fd);
    }
    double s = now() - t0;
    printf("conns %d seconds %.3f per_second %.0f\n", count, s, count / s);
    return 0;
}

static int hold(const char *host, const char *port, int count, unsigned seconds) {
    budget(seconds);
    more_files();
    if (count < 1 || count > MAX_CONNS) {
        fprintf(stderr, "tcpbench: hold needs 1 <= COUNT <= %d\n", MAX_CONNS);
        return 2;
    }
    struct sockaddr_in a = address(host, port);
    for (int i = 0; i < count; i++) dial(&a);
    printf("open %d\n", count);
    fflush(stdout);
    for (;;) pause(); /* until SIGTERM, or SIGALRM at the end of the budget */
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "server") == 0) server(argv[2], argv[3], (unsigned)atoi(argv[4]));
    if (argc == 6 && strcmp(argv[1], "rtt") == 0) return rtt(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if (argc == 5 && strcmp(argv[1], "conns") == 0) return conns(argv[2], argv[3], atoi(argv[4]));
    if (argc == 6 && strcmp(argv[1], "hold") == 0) return hold(argv[2], argv[3], atoi(argv[4]), (unsigned)atoi(argv[5]));
    fprintf(stderr, "usage: tcpbench server ADDR PORT SECONDS | rtt HOST PORT COUNT SIZE | conns HOST PORT COUNT"
                    " | hold HOST PORT COUNT SECONDS\n");
    return 2;
}
