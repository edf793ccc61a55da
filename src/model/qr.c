/*
 * libqrencode turned into a plain matrix (see qr.h).
 */
#include "model/qr.h"

#include <qrencode.h>
#include <string.h>

bool qr_encode(const char *text, struct qr_code *out)
{
    out->side = 0;
    if (!text || !*text)
        return false;
    /* 8-bit mode for the whole text: QRcode_encodeString would switch to
     * Kanji mode for byte pairs that look like Shift-JIS, which breaks
     * UTF-8 for every decoder. */
    QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!code)
        return false;
    bool ok = code->width > 0 && code->width <= QR_MAX_SIDE;
    if (ok) {
        int n = code->width;
        for (int i = 0; i < n * n; i++)
            out->dark[i] = code->data[i] & 1;
        out->side = n;
    }
    QRcode_free(code);
    return ok;
}
