/*
 * Read-aloud (speech.h): espeak-ng on a worker thread that owns it, a
 * ring of samples between that thread and SDL's audio callback.
 *
 * The ring holds under a second of speech on purpose: synthesis waits for
 * room, so an utterance starts being synthesised (and is logged) about
 * when the previous one is heard, and speech_stop has little to throw
 * away. Cancelling empties the ring and makes espeak-ng's synthesis
 * callback answer "abort", so the voice stops within one device buffer.
 */
#include "sdl/speech.h"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"

#define TAG "speech"

/* 16384 samples: 0.74 s at espeak-ng's 22050 Hz. */
#define RING_SAMPLES 16384
/* The device's buffer: 512 samples is 23 ms, the longest a cut-off or a
 * first sound waits for the callback. */
#define DEVICE_SAMPLES 512
/* espeak-ng hands over samples in pieces this long (ms): short pieces
 * reach the ring, and the speaker, sooner. */
#define SYNTH_CHUNK_MS 40
#define LANG_MAX 16

/* espeak-ng's state belongs to the process: it is set up once, by the
 * first worker, and kept to the process's end. espeak-ng 1.51 cannot be
 * set up again after espeak_ng_Terminate (its synthesis stays silent and
 * the next Terminate hangs), so a kiosk or test that opens speech again
 * reuses it. Written once under pthread_once, read after it. */
static pthread_once_t espeak_once = PTHREAD_ONCE_INIT;
static espeak_ng_STATUS espeak_status = ENS_OK;

static void espeak_setup(void)
{
    espeak_ng_InitializePath(NULL);
    espeak_status = espeak_ng_Initialize(NULL);
    if (espeak_status == ENS_OK)
        espeak_status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, SYNTH_CHUNK_MS, NULL);
}

struct utterance {
    char lang[LANG_MAX];
    char *text;
    struct utterance *next;
};

struct speech {
    pthread_t thread;
    pthread_mutex_t lock;        /* the queue, quit, busy, generation's writers */
    pthread_cond_t wake;         /* to the worker: something queued, or quit */
    pthread_cond_t changed;      /* from the worker: init done, an utterance done */
    struct utterance *head, *tail;
    bool quit;
    bool busy;                   /* the worker is synthesising */
    bool init_done, init_ok;
    /* the UI thread's own: the worker runs (ensure_started), or could not */
    bool started, start_failed;
    char init_err[160];      /* "espeak-ng: " and its message */
    _Atomic uint64_t generation; /* bumped by speech_stop: older speech is cut off */
    uint64_t speaking_gen;       /* the worker's own: the generation it synthesises for */
    int rate;
    /* The languages espeak-ng has a voice for, " nl en-gb en ... ", read
     * once on the worker: the UI thread may read it, never espeak-ng. */
    char voices[8192];
    FILE *log;
    pthread_mutex_t log_lock;

    /* the ring, shared with the audio callback under ring_lock */
    pthread_mutex_t ring_lock;
    int16_t ring[RING_SAMPLES];
    size_t ring_read, ring_count;
    SDL_AudioDeviceID device;    /* 0 = no device: samples are dropped */
    bool audio_subsystem;
    _Atomic bool paused;

    _Atomic int volume;          /* percent */
    _Atomic uint64_t utterances;
    _Atomic uint64_t sound_samples;
    _Atomic int64_t first_sound_ms;
};

/* ---- the audio callback (SDL's audio thread) ---- */

static void audio_callback(void *userdata, Uint8 *stream, int len)
{
    struct speech *sp = userdata;
    int16_t *out = (int16_t *)(void *)stream;
    size_t want = (size_t)len / sizeof *out;
    int volume = atomic_load(&sp->volume);
    uint64_t sound = 0;
    pthread_mutex_lock(&sp->ring_lock);
    size_t n = sp->ring_count < want ? sp->ring_count : want;
    for (size_t i = 0; i < n; i++) {
        int32_t v = (int32_t)sp->ring[(sp->ring_read + i) % RING_SAMPLES] * volume / 100;
        out[i] = (int16_t)v;
        sound += v != 0;
    }
    sp->ring_read = (sp->ring_read + n) % RING_SAMPLES;
    sp->ring_count -= n;
    pthread_mutex_unlock(&sp->ring_lock);
    memset(out + n, 0, (want - n) * sizeof *out);
    if (sound) {
        atomic_fetch_add(&sp->sound_samples, sound);
        int64_t none = 0;
        atomic_compare_exchange_strong(&sp->first_sound_ms, &none, clock_monotonic_ms());
    }
}

static size_t ring_count(struct speech *sp)
{
    pthread_mutex_lock(&sp->ring_lock);
    size_t n = sp->ring_count;
    pthread_mutex_unlock(&sp->ring_lock);
    return n;
}

static void ring_clear(struct speech *sp)
{
    pthread_mutex_lock(&sp->ring_lock);
    sp->ring_count = 0;
    pthread_mutex_unlock(&sp->ring_lock);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool cancelled(struct speech *sp)
{
    return atomic_load(&sp->generation) != sp->speaking_gen;
}

static void set_paused(struct speech *sp, bool paused)
{
    if (sp->device && atomic_load(&sp->paused) != paused) {
        atomic_store(&sp->paused, paused);
        SDL_PauseAudioDevice(sp->device, paused ? 1 : 0);
    }
}

/* ---- the worker (owns espeak-ng) ---- */

/* espeak-ng's synthesis callback: samples into the ring, waiting for
 * room; 1 aborts the synthesis. */
static int synth_callback(short *wav, int n, espeak_EVENT *events)
{
    struct speech *sp = events ? events->user_data : NULL;
    if (!sp)
        return 0;
    if (cancelled(sp))
        return 1;
    size_t left = wav && n > 0 ? (size_t)n : 0;
    if (!sp->device)
        return 0; /* nowhere to play: spoken (and logged) all the same */
    while (left > 0) {
        /* Checked under the ring's lock: a speech_stop that empties the
         * ring after this check also empties what is copied now. */
        pthread_mutex_lock(&sp->ring_lock);
        if (cancelled(sp)) {
            pthread_mutex_unlock(&sp->ring_lock);
            return 1;
        }
        size_t room = RING_SAMPLES - sp->ring_count;
        size_t k = room < left ? room : left;
        for (size_t i = 0; i < k; i++)
            sp->ring[(sp->ring_read + sp->ring_count + i) % RING_SAMPLES] = wav[i];
        sp->ring_count += k;
        pthread_mutex_unlock(&sp->ring_lock);
        wav += k;
        left -= k;
        if (k > 0)
            set_paused(sp, false);
        if (left > 0)
            sleep_ms(10);
    }
    return 0;
}

/* Every language of every voice, from each voice's list of
 * (priority byte, code, NUL) entries. */
static void read_voices(struct speech *sp)
{
    const espeak_VOICE **list = espeak_ListVoices(NULL);
    size_t len = 0;
    sp->voices[len++] = ' ';
    for (size_t i = 0; list && list[i]; i++) {
        const char *p = list[i]->languages;
        while (p && *p) {
            const char *code = p + 1;
            size_t n = strlen(code);
            if (len + n + 2 < sizeof sp->voices) {
                memcpy(sp->voices + len, code, n);
                len += n;
                sp->voices[len++] = ' ';
            }
            p = code + n + 1;
        }
    }
    sp->voices[len] = '\0';
}

static bool has_voice(const struct speech *sp, const char *lang)
{
    char word[LANG_MAX + 2];
    snprintf(word, sizeof word, " %s ", lang);
    return strstr(sp->voices, word) != NULL;
}

/* One line, with the text's own line breaks and tabs as spaces so that
 * a line is an utterance. */
static void log_utterance(struct speech *sp, const char *lang, const char *text)
{
    if (!sp->log)
        return;
    pthread_mutex_lock(&sp->log_lock);
    fprintf(sp->log, "%s\t", lang);
    for (const char *p = text; *p; p++)
        fputc(*p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p, sp->log);
    fputc('\n', sp->log);
    fflush(sp->log);
    pthread_mutex_unlock(&sp->log_lock);
}

static void speak_one(struct speech *sp, struct utterance *u)
{
    /* espeak-ng names its voices by language code: nl, en, tr, ar, pl, uk. */
    if (espeak_ng_SetVoiceByName(u->lang) != ENS_OK) {
        log_warn(TAG, "the espeak-ng voice for '%s' does not load: not spoken", u->lang);
        return;
    }
    atomic_fetch_add(&sp->utterances, 1);
    espeak_ng_Synthesize(u->text, strlen(u->text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                         NULL, sp);
}

static void *worker(void *arg)
{
    struct speech *sp = arg;
    pthread_once(&espeak_once, espeak_setup);
    espeak_ng_STATUS st = espeak_status;
    pthread_mutex_lock(&sp->lock);
    sp->init_done = true;
    sp->init_ok = st == ENS_OK;
    if (sp->init_ok) {
        espeak_SetSynthCallback(synth_callback);
        sp->rate = espeak_ng_GetSampleRate();
        read_voices(sp);
    } else {
        char msg[128] = "";
        espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
        snprintf(sp->init_err, sizeof sp->init_err, "espeak-ng: %s", msg);
    }
    pthread_cond_broadcast(&sp->changed);
    if (!sp->init_ok) {
        pthread_mutex_unlock(&sp->lock);
        return NULL;
    }
    for (;;) {
        while (!sp->quit && !sp->head) {
            if (sp->device && !atomic_load(&sp->paused)) {
                /* Wake to pause the device once the ring has played out:
                 * a paused device costs no wake-ups at rest. */
                struct timespec until;
                clock_gettime(CLOCK_REALTIME, &until);
                until.tv_nsec += 30 * 1000000L;
                if (until.tv_nsec >= 1000000000L) {
                    until.tv_sec++;
                    until.tv_nsec -= 1000000000L;
                }
                pthread_cond_timedwait(&sp->wake, &sp->lock, &until);
                if (!sp->head && ring_count(sp) == 0)
                    set_paused(sp, true);
            } else {
                pthread_cond_wait(&sp->wake, &sp->lock);
            }
        }
        if (sp->quit)
            break;
        struct utterance *u = sp->head;
        sp->head = u->next;
        if (!sp->head)
            sp->tail = NULL;
        sp->busy = true;
        sp->speaking_gen = atomic_load(&sp->generation);
        pthread_mutex_unlock(&sp->lock);
        speak_one(sp, u);
        free(u->text);
        free(u);
        pthread_mutex_lock(&sp->lock);
        sp->busy = false;
        pthread_cond_broadcast(&sp->changed);
    }
    pthread_mutex_unlock(&sp->lock);
    return NULL;
}

/* ---- the UI thread's side ---- */

static void open_device(struct speech *sp)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        log_warn(TAG, "no audio (%s): speech is not heard", SDL_GetError());
        return;
    }
    sp->audio_subsystem = true;
    SDL_AudioSpec want = {
        .freq = sp->rate,
        .format = AUDIO_S16SYS,
        .channels = 1,
        .samples = DEVICE_SAMPLES,
        .callback = audio_callback,
        .userdata = sp,
    };
    SDL_AudioSpec have;
    /* No changes allowed: SDL converts to whatever the device takes. */
    sp->device = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!sp->device) {
        log_warn(TAG, "cannot open an audio device (%s): speech is not heard", SDL_GetError());
        return;
    }
    log_info(TAG, "speaking through the %s audio driver", SDL_GetCurrentAudioDriver());
    atomic_store(&sp->paused, true);
}

static void free_queue(struct speech *sp)
{
    while (sp->head) {
        struct utterance *u = sp->head;
        sp->head = u->next;
        free(u->text);
        free(u);
    }
    sp->tail = NULL;
}

struct speech *speech_open(const char *log_path, char *err, size_t err_len)
{
    struct speech *sp = calloc(1, sizeof *sp);
    if (!sp) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    atomic_store(&sp->volume, 100);
    if (log_path) {
        sp->log = fopen(log_path, "a");
        if (!sp->log) {
            snprintf(err, err_len, "cannot write %s", log_path);
            free(sp);
            return NULL;
        }
    }
    pthread_mutex_init(&sp->lock, NULL);
    pthread_mutex_init(&sp->ring_lock, NULL);
    pthread_mutex_init(&sp->log_lock, NULL);
    pthread_cond_init(&sp->wake, NULL);
    pthread_cond_init(&sp->changed, NULL);
    return sp;
}

/* The worker, espeak-ng and the audio device start when speech is first
 * used, not with the kiosk: one that is never asked to speak holds no
 * voice data and no audio device (and an audio system without a card
 * prints nothing). Once: a failure is said once and speech stays silent. */
static bool ensure_started(struct speech *sp)
{
    if (sp->started || sp->start_failed)
        return sp->started;
    if (pthread_create(&sp->thread, NULL, worker, sp) != 0) {
        sp->start_failed = true;
        log_warn(TAG, "cannot start the speech thread: no read-aloud");
        return false;
    }
    pthread_mutex_lock(&sp->lock);
    while (!sp->init_done)
        pthread_cond_wait(&sp->changed, &sp->lock);
    bool ok = sp->init_ok;
    pthread_mutex_unlock(&sp->lock);
    if (!ok) {
        pthread_join(sp->thread, NULL);
        sp->start_failed = true;
        log_warn(TAG, "%s: no read-aloud", sp->init_err);
        return false;
    }
    /* Under the lock: the worker reads sp->device under it once idle. */
    pthread_mutex_lock(&sp->lock);
    open_device(sp);
    pthread_mutex_unlock(&sp->lock);
    sp->started = true;
    return true;
}

void speech_close(struct speech *sp)
{
    if (!sp)
        return;
    if (sp->started) {
        pthread_mutex_lock(&sp->lock);
        sp->quit = true;
        atomic_fetch_add(&sp->generation, 1);
        pthread_cond_broadcast(&sp->wake);
        pthread_mutex_unlock(&sp->lock);
        pthread_join(sp->thread, NULL);
    }
    if (sp->device)
        SDL_CloseAudioDevice(sp->device);
    if (sp->audio_subsystem)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free_queue(sp);
    if (sp->log)
        fclose(sp->log);
    pthread_cond_destroy(&sp->wake);
    pthread_cond_destroy(&sp->changed);
    pthread_mutex_destroy(&sp->ring_lock);
    pthread_mutex_destroy(&sp->log_lock);
    pthread_mutex_destroy(&sp->lock);
    free(sp);
}

void speech_say(struct speech *sp, const char *lang, const char *text)
{
    if (!sp || !text || !*text || !ensure_started(sp))
        return;
    if (!has_voice(sp, lang))
        return; /* docs/speech.md: Tigrinya, for one, has none */
    /* Logged as it is handed to the voice, on the UI thread: a script's
     * steps run faster than speech, and a log written as each utterance
     * is reached would depend on the machine's speed. */
    log_utterance(sp, lang, text);
    struct utterance *u = calloc(1, sizeof *u);
    char *copy = strdup(text);
    if (!u || !copy) {
        free(u);
        free(copy);
        return;
    }
    snprintf(u->lang, sizeof u->lang, "%s", lang);
    u->text = copy;
    pthread_mutex_lock(&sp->lock);
    if (sp->tail)
        sp->tail->next = u;
    else
        sp->head = u;
    sp->tail = u;
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->lock);
}

void speech_stop(struct speech *sp)
{
    if (!sp || !sp->started)
        return;
    pthread_mutex_lock(&sp->lock);
    atomic_fetch_add(&sp->generation, 1);
    free_queue(sp);
    pthread_mutex_unlock(&sp->lock);
    ring_clear(sp);
}

void speech_set_volume(struct speech *sp, int percent)
{
    if (sp)
        atomic_store(&sp->volume, percent < 0 ? 0 : percent > 100 ? 100 : percent);
}

bool speech_drain(struct speech *sp, int timeout_ms)
{
    if (!sp || !sp->started)
        return true;
    int64_t until = clock_monotonic_ms() + timeout_ms;
    for (;;) {
        pthread_mutex_lock(&sp->lock);
        bool idle = !sp->head && !sp->busy;
        pthread_mutex_unlock(&sp->lock);
        if (idle && ring_count(sp) == 0)
            return true;
        if (clock_monotonic_ms() >= until)
            return false;
        sleep_ms(10);
    }
}

void speech_get_stats(struct speech *sp, struct speech_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!sp)
        return;
    out->utterances = atomic_load(&sp->utterances);
    out->sound_samples = atomic_load(&sp->sound_samples);
    out->first_sound_ms = atomic_load(&sp->first_sound_ms);
    out->has_device = sp->device != 0;
}

void speech_mark_time(struct speech *sp)
{
    if (sp)
        atomic_store(&sp->first_sound_ms, 0);
}

void speech_env_say(void *ctx, const char *lang, const char *text)
{
    speech_say(ctx, lang, text);
}

void speech_env_stop(void *ctx)
{
    speech_stop(ctx);
}

void speech_env_volume(void *ctx, int percent)
{
    speech_set_volume(ctx, percent);
}

bool speech_has_voice(struct speech *sp, const char *lang)
{
    return sp && ensure_started(sp) && has_voice(sp, lang);
}
