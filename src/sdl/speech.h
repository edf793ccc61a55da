/*
 * Read-aloud: espeak-ng speaks, SDL audio plays (docs/speech.md).
 *
 * One worker thread owns espeak-ng: the library keeps its voice, its
 * parameters and its synthesis buffers in global state, so no other
 * thread may call it, and there is at most one struct speech at a time.
 * espeak-ng is set up by the first speech_open and stays set up until the
 * process ends (it cannot be set up twice). The worker synthesises each queued utterance in the voice of
 * its language into a small ring of samples that the SDL audio callback
 * plays out; speech_stop empties the queue and the ring at once, so
 * speech is cut off within one audio buffer (about 23 ms).
 *
 * Every call below is for the UI thread; none blocks on synthesis except
 * speech_drain and speech_close.
 */
#ifndef BK_SPEECH_H
#define BK_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct speech;

/* Read-aloud, not started yet: the worker, espeak-ng and the default SDL
 * audio device (paused while nothing speaks) start at the first
 * speech_say or speech_has_voice, so that a kiosk nobody asks to speak
 * holds none of them. log_path, when not NULL, gets one line per
 * utterance, `LANG<TAB>TEXT` (automation-v1 --speech-log), written as
 * speech_say queues it (docs/spec-notes.md). Without an audio device
 * speech still runs and logs, and its samples go nowhere; when espeak-ng
 * cannot start, that is logged once and nothing is said. NULL with a
 * reason in err when the log cannot be opened (or out of memory). */
struct speech *speech_open(const char *log_path, char *err, size_t err_len);

/* Plays out nothing more and stops the worker. NULL is fine. */
void speech_close(struct speech *sp);

/* Queues text to be spoken in lang's voice after what is queued already.
 * A language without a voice is skipped (and not logged). */
/* True when espeak-ng has a voice for lang ("nl", "en-gb"). */
bool speech_has_voice(struct speech *sp, const char *lang);

void speech_say(struct speech *sp, const char *lang, const char *text);

/* Cuts off what is being said and drops the queue. */
void speech_stop(struct speech *sp);

/* 0 ... 100, applied to the samples as they are played. */
void speech_set_volume(struct speech *sp, int percent);

/* Waits up to timeout_ms for everything queued to be played out; true
 * when it was. */
bool speech_drain(struct speech *sp, int timeout_ms);

struct speech_stats {
    uint64_t utterances;       /* started speaking */
    uint64_t sound_samples;    /* non-silent samples handed to the device */
    int64_t first_sound_ms;    /* clock_monotonic_ms of the first non-silent
                                * sample since the last speech_mark_time; 0 = none yet */
    bool has_device;
};
void speech_get_stats(struct speech *sp, struct speech_stats *out);

/* Forgets first_sound_ms, to time the next sound (the benchmark). */
void speech_mark_time(struct speech *sp);

/* The same calls with a void context, for struct ui_env's callbacks. */
void speech_env_say(void *ctx, const char *lang, const char *text);
void speech_env_stop(void *ctx);
void speech_env_volume(void *ctx, int percent);

#endif
