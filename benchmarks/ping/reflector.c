/*
 * The physical limit for tuntcp's ping path: a minimal C reflector on a TUN device. It creates the
 * device (IFF_TUN | IFF_NO_PI), then for every ICMP echo request to ADDR read(2)s it, turns it into
 * the reply in place (addresses swapped, type 0, checksum updated per RFC 1624) and write(2)s it back.
 * One packet per system call each way, exactly like the Java path, so the ratio compares the code, not
 * the batching. Runs until SIGTERM/SIGINT or MAX_SECONDS; prints how many it answered.
 *
 * usage: reflector DEVICE ADDR [MAX_SECONDS]
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void) sig;
    stop = 1;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t) (v >> 8); p[1] = (uint8_t) v; }

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
static uint16_t update(uint16_t hc, uint16_t old, uint16_t new) {
    uint32_t sum = (uint16_t) ~hc + (uint16_t) ~old + new;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) ~sum;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s DEVICE ADDR [MAX_SECONDS]\n", argv[0]);
        return 2;
    }
    struct in_addr us;
    if (inet_pton(AF_INET, argv[2], &us) != 1) {
        fprintf(stderr, "bad address %s\n", argv[2]);
        return 2;
    }
    int max_seconds = argc > 3 ? atoi(argv[3]) : 120;
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror("open /dev/net/tun");
        return 1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("TUNSETIFF");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned) max_seconds);
    printf("reflector: ready on %s\n", ifr.ifr_name);
    fflush(stdout);
    uint8_t buf[65536];
    unsigned long answered = 0;
    while (!stop) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 28 || (buf[0] >> 4) != 4 || buf[9] != 1) {
            continue;
        }
        size_t hlen = (size_t) (buf[0] & 0x0f) * 4;
        if (memcmp(buf + 16, &us, 4) != 0 || (size_t) n < hlen + 8 || buf[hlen] != 8) {
            continue;
        }
        uint8_t tmp[4];
        memcpy(tmp, buf + 12, 4);          /* swapping addresses leaves the header sum unchanged */
        memcpy(buf + 12, buf + 16, 4);
        memcpy(buf + 16, tmp, 4);
        uint16_t old = get16(buf + hlen);
        buf[hlen] = 0;                      /* echo reply */
        put16(buf + hlen + 2, update(get16(buf + hlen + 2), old, get16(buf + hlen)));
        if (write(fd, buf, (size_t) n) == n) {
            answered++;
        }
    }
    printf("reflector: answered %lu\n", answered);
    return 0;
}
