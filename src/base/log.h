/*
 * Logging to stderr (the journal under systemd). One line per event, with
 * a level and the module's tag. Never pass personal data (names, phone
 * numbers, e-mail, typed text) to these functions: a kiosk's journal is
 * read by technicians and shipped off the device.
 */
#ifndef BK_LOG_H
#define BK_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARNING = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* The threshold comes from the environment (BUURTKIOSK_LOG=error|warning|
 * info|debug) at each call, so that there is no mutable global and tests
 * can silence the log; log.level in the config sets that variable at
 * start-up, before threads exist. */
void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the threshold for this process (writes BUURTKIOSK_LOG). Call only
 * before any thread is started. */
void log_set_level(enum log_level level);

#define log_error(tag, ...) log_msg(LOG_ERROR, tag, __VA_ARGS__)
#define log_warn(tag, ...) log_msg(LOG_WARNING, tag, __VA_ARGS__)
#define log_info(tag, ...) log_msg(LOG_INFO, tag, __VA_ARGS__)
#define log_debug(tag, ...) log_msg(LOG_DEBUG, tag, __VA_ARGS__)

#endif
