/*
 * libqrencode turned into a plain matrix (see qr.h).
 */
#include "model/qr.h"

#include <qrencode.h>
#include <string.h>

/* ISO/IEC 18004's Extended Channel Interpretation for UTF-8. */
#define ECI_UTF8 26

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static QRcode *encode(const char *text)
{
    QRinput *input = QRinput_new2(0, QR_ECLEVEL_M);
    if (!input)
        return NULL;
    /* Bytes above ASCII: without an ECI header a decoder guesses their
     * encoding (zbar reads "Digicafé" as Shift-JIS); with it every one
     * that knows ECI reads UTF-8. Plain ASCII needs none. 8-bit mode for
     * the whole text: QRcode_encodeString would switch to Kanji mode for
     * byte pairs that look like Shift-JIS. */
    QRcode *code = NULL;
    if ((ascii(text) || QRinput_appendECIheader(input, ECI_UTF8) == 0) &&
        QRinput_append(input, QR_MODE_8, (int)strlen(text), (const unsigned char *)text) == 0)
        code = QRcode_encodeInput(input);
    QRinput_free(input);
    return code;
}

bool qr_encode(const char *text, struct qr_code *out)
{
    out->side = 0;
    if (!text || !*text || strlen(text) > 4096)
        return false;
    QRcode *code = encode(text);
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
