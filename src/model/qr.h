/*
 * A QR code's module matrix for a text, by libqrencode: the text as 8-bit
 * bytes (UTF-8 as it is), error correction level M (15 %, for a glossy
 * screen's reflections), the smallest version that holds it. Plain data,
 * so that the view draws it without knowing the library.
 */
#ifndef BK_QR_H
#define BK_QR_H

#include <stdbool.h>

/* Version 20 (97 x 97 modules, 666 bytes at level M) is the largest code
 * still drawn with modules big enough for a phone at arm's length on the
 * smallest kiosk panel; longer texts are refused, not squeezed. */
#define QR_MAX_SIDE 97

struct qr_code {
    int side;                                     /* modules per row and column */
    unsigned char dark[QR_MAX_SIDE * QR_MAX_SIDE]; /* row by row, 1 = dark */
};

/* Encodes text (non-empty) into out. False when it is empty, does not fit
 * QR_MAX_SIDE, or the library fails (out of memory); out->side is 0 then. */
bool qr_encode(const char *text, struct qr_code *out);

#endif
