/*
 * Runs a fuzz target without libFuzzer: every file of a seed corpus, then
 * a fixed number of seeded mutations of each (byte flips, cuts, inserted
 * JSON/INI punctuation, duplicated runs). Deterministic, so a failure in
 * CI replays the same way here. Usage: replay DIR [MUTATIONS_PER_SEED]
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

static uint64_t next_random(uint64_t *state)
{
    /* xorshift64*: enough spread for mutations; the state lives on the stack. */
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 2685821657736338717ull;
}

static void mutate(uint8_t *buf, size_t *len, size_t cap, uint64_t *rng)
{
    static const char tokens[] = "{}[]\":,\\=#;\n\r\t 0-9eE.+-ZT\xc3\xa9\xff\x00";
    int edits = 1 + (int)(next_random(rng) % 8);
    for (int e = 0; e < edits; e++) {
        size_t n = *len;
        size_t at = n ? (size_t)(next_random(rng) % n) : 0;
        switch (next_random(rng) % 5) {
        case 0: /* replace a byte */
            if (n)
                buf[at] = (uint8_t)tokens[next_random(rng) % (sizeof tokens - 1)];
            break;
        case 1: /* flip a bit */
            if (n)
                buf[at] ^= (uint8_t)(1u << (next_random(rng) % 8));
            break;
        case 2: /* cut the rest */
            *len = at;
            break;
        case 3: /* insert a byte */
            if (n + 1 < cap) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = (uint8_t)tokens[next_random(rng) % (sizeof tokens - 1)];
                *len = n + 1;
            }
            break;
        default: { /* duplicate a run */
            size_t run = n ? 1 + (size_t)(next_random(rng) % 64) : 0;
            if (at + run <= n && n + run < cap) {
                memmove(buf + at + run, buf + at, n - at);
                *len = n + run;
            }
            break;
        }
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS_PER_SEED]\n", argv[0]);
        return 2;
    }
    long mutations = argc > 2 ? strtol(argv[2], NULL, 10) : 500;
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    size_t seeds = 0, runs = 0;
    struct dirent *ent;
    while ((ent = readdir(dir))) {
        if (ent->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], ent->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        size_t cap = 1 << 20;
        uint8_t *seed = malloc(cap), *work = malloc(cap);
        size_t len = seed ? fread(seed, 1, cap / 2, f) : 0;
        fclose(f);
        if (!seed || !work) {
            free(seed);
            free(work);
            return 1;
        }
        LLVMFuzzerTestOneInput(seed, len);
        seeds++;
        runs++;
        uint64_t rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)len;
        for (long m = 0; m < mutations; m++) {
            size_t wlen = len;
            memcpy(work, seed, len);
            mutate(work, &wlen, cap, &rng);
            LLVMFuzzerTestOneInput(work, wlen);
            runs++;
        }
        free(seed);
        free(work);
    }
    closedir(dir);
    if (seeds == 0) {
        fprintf(stderr, "no seeds in %s\n", argv[1]);
        return 1;
    }
    printf("%s: %zu seeds, %zu inputs run, no crash\n", argv[0], seeds, runs);
    return 0;
}
