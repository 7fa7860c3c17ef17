/*
 * A C reference for the RFC 1071 Internet checksum, to state how close the Java code gets to this
 * machine's limit. Same sizes as ChecksumBench. Two loops:
 *   adc  — 64-bit words with one add-with-carry chain, the carry flowing from each adc into the next
 *          (on x86-64 the inline-assembly loop of a hand-written kernel routine; elsewhere C);
 *   vec  — 32-bit words into 64-bit accumulators, a loop gcc -O3 auto-vectorises (AVX2 on x86-64).
 * Both are checked against a byte-pair reference before timing. Prints one line per size and loop:
 * best of several runs, ns per checksum and GB/s (1e9 bytes per second).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint16_t fold64(uint64_t s) {
    s = (s >> 32) + (s & 0xffffffffu);
    s = (s >> 16) + (s & 0xffff);
    s = (s >> 16) + (s & 0xffff);
    s = (s >> 16) + (s & 0xffff);
    return (uint16_t) s;
}

/* Byte pairs, big-endian: the definition. */
static uint16_t csum_reference(const uint8_t *p, size_t n) {
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 2) {
        s += (uint32_t) p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
        if (s > 0xffff) s = (s & 0xffff) + 1;
    }
    return (uint16_t) s;
}

static uint16_t swap16(uint16_t v) { return (uint16_t) (v << 8 | v >> 8); }

/* Native (little-endian) words; the byte-swapped fold is the big-endian sum (RFC 1071 §2(B)). */
__attribute__((noipa)) static uint16_t csum_adc(const uint8_t *p, size_t n) {
    uint64_t s = 0;
    size_t i = 0;
#if defined(__x86_64__)
    size_t blocks = n / 32;
    if (blocks) {
        const uint8_t *q = p;
        size_t count = blocks;
        /* dec and lea leave CF alone, so one carry chain runs through the whole loop. */
        __asm__("clc\n"
                "1:\n\t"
                "adcq 0(%[q]), %[s]\n\t"
                "adcq 8(%[q]), %[s]\n\t"
                "adcq 16(%[q]), %[s]\n\t"
                "adcq 24(%[q]), %[s]\n\t"
                "leaq 32(%[q]), %[q]\n\t"
                "decq %[count]\n\t"
                "jnz 1b\n\t"
                "adcq $0, %[s]"
                : [s] "+r"(s), [q] "+r"(q), [count] "+r"(count)
                :
                : "cc", "memory");
        i = blocks * 32;
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        s += x;
        s += (s < x); /* end-around carry: gcc makes this add + adc $0 */
    }
    uint64_t t = 0;
    if (i + 4 <= n) { uint32_t w; memcpy(&w, p + i, 4); t += w; i += 4; }
    if (i + 2 <= n) { uint16_t w; memcpy(&w, p + i, 2); t += w; i += 2; }
    if (i < n) t += p[i];
    return swap16(fold64((uint64_t) fold64(s) + t));
}

__attribute__((noipa)) static uint16_t csum_vec(const uint8_t *p, size_t n) {
    uint64_t s = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        s += w;
    }
    if (i + 2 <= n) { uint16_t w; memcpy(&w, p + i, 2); s += w; i += 2; }
    if (i < n) s += p[i];
    return swap16(fold64(s));
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

typedef uint16_t (*csum_fn)(const uint8_t *, size_t);

static double best_ns(csum_fn f, const uint8_t *p, size_t n, volatile uint16_t *sink) {
    long reps = (long) (50e6 / (n + 16)) + 1; /* ~50 MB per run */
    double best = 1e300;
    for (int run = 0; run < 15; run++) {
        double t0 = now_ns();
        uint16_t acc = 0;
        for (long r = 0; r < reps; r++) acc ^= f(p, n);
        double t = (now_ns() - t0) / reps;
        *sink ^= acc;
        if (t < best) best = t;
    }
    return best;
}

int main(void) {
    static const size_t sizes[] = {20, 40, 64, 576, 1500, 9000, 65535};
    uint8_t *buf = aligned_alloc(64, 65536 + 64);
    srand(1071);
    for (size_t i = 0; i < 65536 + 64; i++) buf[i] = (uint8_t) rand();
    /* Every length and a few alignments must agree with the reference before anything is timed. */
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n <= 2048; n++)
            if (csum_adc(buf + off, n) != csum_reference(buf + off, n) || csum_vec(buf + off, n) != csum_reference(buf + off, n)) {
                fprintf(stderr, "mismatch at offset %zu length %zu\n", off, n);
                return 1;
            }
    volatile uint16_t sink = 0;
    printf("%-6s %6s %10s %8s\n", "loop", "size", "ns/op", "GB/s");
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        double adc = best_ns(csum_adc, buf, n, &sink);
        double vec = best_ns(csum_vec, buf, n, &sink);
        printf("%-6s %6zu %10.2f %8.1f\n", "adc", n, adc, n / adc);
        printf("%-6s %6zu %10.2f %8.1f\n", "vec", n, vec, n / vec);
    }
    free(buf);
    return sink == 0xdead ? 2 : 0;
}
